#include "services/http/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "services/http/http_session.h"

namespace novelta {

using http_internal::ServerHub;
using http_internal::Session;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

struct HttpServer::Impl {
  std::shared_ptr<ServerHub> hub;
  // Sessions hold the io_context's executor: it outlives them (members are
  // destroyed last to first, and the io_context destroys its pending handlers).
  asio::io_context io;
  // The acceptor and its retry timer run on one strand.
  asio::strand<asio::io_context::executor_type> accept_strand{asio::make_strand(io)};
  tcp::acceptor acceptor{accept_strand};
  asio::steady_timer accept_retry{accept_strand};
  std::vector<std::thread> io_threads;
  int port = 0;
  std::mutex stop_mu;
  bool stopped = false;

  void Accept();
};

void HttpServer::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(io), [this](error_code ec, tcp::socket socket) {
    if (!acceptor.is_open() || ec == asio::error::operation_aborted) return;
    if (ec) {
      // Out of descriptors, say: back off a little rather than spin.
      spdlog::warn("HTTP: accepting a connection failed: {}", ec.message());
      accept_retry.expires_after(std::chrono::milliseconds(100));
      accept_retry.async_wait([this](error_code wec) {
        if (!wec) Accept();
      });
      return;
    }
    std::make_shared<Session>(hub, std::move(socket))->Start();
    Accept();
  });
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

int HttpServer::port() const { return impl_->port; }

StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options, Handler handler) {
  auto impl = std::make_unique<Impl>();
  impl->hub = std::make_shared<ServerHub>();
  impl->hub->options = options;
  impl->hub->handler = std::move(handler);
  std::string address = options.host + ":" + std::to_string(options.port);
  try {
    tcp::resolver resolver(impl->io);
    auto results = resolver.resolve(options.host, std::to_string(options.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service);
    if (results.empty()) return Status::IOError("cannot listen on " + address + ": no such address");
    tcp::endpoint endpoint = results.begin()->endpoint();
    impl->acceptor.open(endpoint.protocol());
    impl->acceptor.set_option(asio::socket_base::reuse_address(true));
    impl->acceptor.bind(endpoint);
    impl->acceptor.listen(asio::socket_base::max_listen_connections);
    impl->port = impl->acceptor.local_endpoint().port();
  } catch (const std::exception& e) {
    return Status::IOError("cannot listen on " + address + ": " + e.what());
  }
  impl->hub->executor = std::make_unique<BoundedExecutor>(options.threads, options.queue);
  impl->Accept();
  Impl* raw = impl.get();
  for (int i = 0; i < std::max(1, options.io_threads); ++i) {
    impl->io_threads.emplace_back([raw] {
      for (;;) {
        try {
          raw->io.run();
          return;
        } catch (const std::exception& e) {
          spdlog::error("HTTP event loop: {}", e.what());
        }
      }
    });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

void HttpServer::Stop() {
  std::lock_guard<std::mutex> lock(impl_->stop_mu);
  if (impl_->stopped) return;
  impl_->stopped = true;
  Impl* impl = impl_.get();
  // 1. No new connections; answers from here on close their connection.
  impl->hub->stopping = true;
  std::promise<void> closed;
  asio::post(impl->accept_strand, [impl, &closed] {
    error_code ignored;
    impl->acceptor.close(ignored);
    impl->accept_retry.cancel();
    closed.set_value();
  });
  closed.get_future().wait();
  // 2. Run the requests already taken; their answers go out (for up to 2 s).
  impl->hub->executor->Shutdown();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (impl->hub->writes_pending > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // 3. Answers still to come (a ?wait that was not over) are dropped, and
  //    every connection is closed.
  impl->hub->CloseReplies();
  impl->hub->CloseAll();
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (!impl->hub->AllClosed() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  impl->io.stop();
  for (auto& t : impl->io_threads) t.join();
  impl->io_threads.clear();
}

StatusOr<int> FindFreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return Status::IOError("cannot create a socket to find a free port");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return Status::IOError("cannot bind a socket to find a free port");
  }
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

}  // namespace novelta
