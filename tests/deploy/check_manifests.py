#!/usr/bin/env python3
"""Checks the deployment files in docker/ against each other and the service.

    check_manifests.py [REPO_ROOT]

Reads docker/Dockerfile, docker/compose.yaml, docker/haproxy.cfg and every
YAML file in docker/k8s/, and checks what a deployment relies on:

  - the runtime image installs no -dev package and runs as a non-root USER;
  - compose: PostgreSQL with a health check, three novelta replicas whose state
    is a postgresql:// URI (password from PGPASSWORD, not written in the file),
    the index mounted read-only, a stop grace period above the drain time, and
    a balancer whose health check is /readyz on exactly those replicas;
  - Kubernetes: a Deployment with at least 2 replicas, readiness on /readyz,
    liveness on /healthz, a non-root user (the image's), a read-only root
    filesystem and index volume, resources, a termination grace period above
    the drain time; a PodDisruptionBudget and a Service whose selectors pick
    its pods; every ConfigMap and Secret reference resolves; kustomization.yaml
    lists every manifest;
  - every NOVELTA_* variable anywhere in these files is a real setting (the
    keys table of services/config.cc, and the model paths read by
    tools/novelta_main.cc), so a misspelt name fails.

Then it breaks the files in known ways, one at a time, and checks that each
breakage is caught. Exit status 0 when all holds; the failures are printed.
"""
import os
import re
import shlex
import sys

try:
    import yaml
except ImportError:  # a Python without PyYAML: Debian's has python3-yaml
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("check_manifests: PyYAML is missing (Debian: python3-yaml, in scripts/packages.txt)")

INDEX_PATH = "/var/lib/novelta/index"


class Files:
    """The text of every file the checks read, by path relative to the root."""

    def __init__(self, root):
        self.root = root
        self.text = {}
        paths = ["docker/Dockerfile", "docker/compose.yaml", "docker/haproxy.cfg", "scripts/runtime-packages.txt",
                 "services/config.cc", "tools/novelta_main.cc"]
        k8s = os.path.join(root, "docker/k8s")
        paths += sorted("docker/k8s/" + f for f in os.listdir(k8s) if f.endswith((".yaml", ".yml")))
        for p in paths:
            with open(os.path.join(root, p), encoding="utf-8") as f:
                self.text[p] = f.read()

    def read_extra(self, rel):
        if rel not in self.text:
            with open(os.path.join(self.root, rel), encoding="utf-8") as f:
                self.text[rel] = f.read()
        return self.text[rel]

    def copy(self):
        c = Files.__new__(Files)
        c.root, c.text = self.root, dict(self.text)
        return c


def settings(files):
    """The NOVELTA_* variables the binary reads."""
    names = set()
    table = re.search(r"std::vector<Field> Fields\(ServiceConfig\* c\) \{(.*?)\n\}", files.text["services/config.cc"], re.S)
    if table:
        names |= {"NOVELTA_" + k.upper() for k in re.findall(r'\{"([a-z0-9_]+)",\s*&c->', table.group(1))}
    if len(names) < 10:
        raise SystemExit("check_manifests: cannot read the settings table of services/config.cc (Fields)")
    names |= set(re.findall(r'"(NOVELTA_[A-Z0-9_]+)"', files.text["tools/novelta_main.cc"]))
    return names


def dockerfile_stages(text):
    """[(name, base, [(instruction, argument)])] with continuation lines joined."""
    lines, cur = [], ""
    for raw in text.splitlines():
        s = raw.strip()
        if not cur and (not s or s.startswith("#")):
            continue
        if cur and s.startswith("#"):
            continue
        cur += " " + s[:-1] if s.endswith("\\") else " " + s
        if not s.endswith("\\"):
            lines.append(cur.strip())
            cur = ""
    stages = []
    for line in lines:
        instr, _, arg = line.partition(" ")
        instr = instr.upper()
        if instr == "FROM":
            m = re.match(r"(\S+)(?:\s+AS\s+(\S+))?", arg, re.I)
            stages.append((m.group(2) or str(len(stages)), m.group(1), []))
        elif stages:
            stages[-1][2].append((instr, arg.strip()))
    return stages


def int_of(value):
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def seconds_of(value):
    m = re.fullmatch(r"\s*(?:(\d+)m)?\s*(?:(\d+)s)?\s*", str(value))
    if not m or not (m.group(1) or m.group(2)):
        return None
    return int(m.group(1) or 0) * 60 + int(m.group(2) or 0)


class Context:
    """The files, the settings the binary reads, and the failures found so far."""

    def __init__(self, files):
        self.files = files
        self.errors = []
        self.err = self.errors.append
        self.known = settings(files)

    def setting_names(self, where, names):
        for n in names:
            if n.startswith("NOVELTA_") and n not in self.known:
                self.err(f"{where}: {n} is not a novelta setting (services/config.cc)")


def named(kinds, kind, name):
    return next((d for _, d in kinds.get(kind, []) if d["metadata"]["name"] == name), None)


def picks(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def check_image(ctx):
    """The runtime targets of docker/Dockerfile; returns the image's uid."""
    err, files = ctx.err, ctx.files
    # The image targets are the stages no other stage builds on, but `build`;
    # each runs with what its chain of stages installs and sets.
    stages = dockerfile_stages(files.text["docker/Dockerfile"])
    by_name = {s[0]: s for s in stages}
    bases = {s[1] for s in stages}
    targets = [s for s in stages if s[0] not in bases and s[0] != "build"]
    image_uid = None
    if not stages or stages[-1] not in targets:
        err("docker/Dockerfile: the last (default) stage is not a runtime image")
    for target in targets:
        chain, s = [], target
        while s:
            chain.append(s)
            s = by_name.get(s[1])
        where = f"docker/Dockerfile: stage {target[0]}"
        body = [(i, a) for c in reversed(chain) for i, a in c[2]]
        users = [a for i, a in body if i == "USER"]
        if not users:
            err(f"{where} sets no USER (it would run as root)")
        else:
            user = users[-1].split(":")[0]
            if user in ("0", "root"):
                err(f"{where} runs as root")
            elif int_of(user) is None:
                err(f"{where}: USER {user} is not numeric (runAsNonRoot cannot verify a name)")
            else:
                image_uid = int_of(user)
        for needed in ("HEALTHCHECK", "STOPSIGNAL"):
            if needed not in {i for i, _ in body}:
                err(f"{where} has no {needed}")
        for instr, arg in body:
            if instr == "RUN" and re.search(r"[a-z0-9.+]-dev\b", arg):
                err(f"{where} installs a -dev package: {arg[:100]}")
            if instr in ("RUN", "COPY") and re.search(r"(?<![-\w])packages\.txt", arg):
                err(f"{where} uses the build package list scripts/packages.txt")
            if "runtime-packages.txt" in arg:
                listed = re.sub(r"#.*", "", files.read_extra("scripts/runtime-packages.txt")).split()
                for pkg in listed:
                    if pkg.endswith("-dev"):
                        err(f"scripts/runtime-packages.txt: {pkg} is a -dev package")
    ctx.setting_names("docker/Dockerfile", re.findall(r"\b(NOVELTA_[A-Z0-9_]+)=", files.text["docker/Dockerfile"]))
    return image_uid


def check_compose(ctx):
    """docker/compose.yaml and the balancer's configuration it mounts."""
    err, files = ctx.err, ctx.files
    try:
        compose = yaml.safe_load(files.text["docker/compose.yaml"]) or {}
    except yaml.YAMLError as e:
        err(f"docker/compose.yaml: not YAML: {e}")
        compose = {}
    services = compose.get("services") or {}
    db = [n for n, s in services.items() if str(s.get("image", "")).startswith("postgres")]
    novelta = {n: s for n, s in services.items()
               if str(s.get("image", "")).startswith("novelta") or "Dockerfile" in str(s.get("build", ""))}
    balancers = [n for n, s in services.items() if re.match(r"(haproxy|nginx)\b", str(s.get("image", "")))]
    if len(db) != 1:
        err(f"docker/compose.yaml: {len(db)} PostgreSQL services, want 1")
    elif "healthcheck" not in services[db[0]]:
        err("docker/compose.yaml: the database has no healthcheck")
    if len(novelta) != 3:
        err(f"docker/compose.yaml: {len(novelta)} novelta replicas, want 3")
    if len(balancers) != 1:
        err(f"docker/compose.yaml: {len(balancers)} balancers (haproxy or nginx), want 1")
    for name, svc in novelta.items():
        where = f"docker/compose.yaml: {name}"
        env = svc.get("environment") or {}
        if isinstance(env, list):
            env = dict(e.split("=", 1) if "=" in e else (e, "") for e in env)
        ctx.setting_names(where, env)
        command = svc.get("command") or []
        if isinstance(command, str):
            command = shlex.split(command)
        state = env.get("NOVELTA_STATE_DIR")
        if "--state" in command and command.index("--state") + 1 < len(command):
            state = command[command.index("--state") + 1]
        if not str(state or "").startswith("postgresql://"):
            err(f"{where}: the state is {state!r}, not a postgresql:// URI")
        elif re.match(r"postgresql://[^/@]*:[^/@]*@", str(state)):
            err(f"{where}: the state URI has a password in it; use PGPASSWORD")
        password = str(env.get("PGPASSWORD", ""))
        if not password.startswith("${"):
            err(f"{where}: PGPASSWORD must come from the environment (${{...}}), not be written here")
        index_ro = False
        for v in svc.get("volumes") or []:
            if isinstance(v, str):
                parts = v.split(":")
                if len(parts) >= 2 and parts[1] == INDEX_PATH:
                    index_ro = len(parts) > 2 and "ro" in parts[2].split(",")
            elif v.get("target") == INDEX_PATH:
                index_ro = bool(v.get("read_only"))
        if not index_ro:
            err(f"{where}: the index is not mounted read-only at {INDEX_PATH}")
        deps = svc.get("depends_on") or {}
        if not (isinstance(deps, dict) and db and (deps.get(db[0]) or {}).get("condition") == "service_healthy"):
            err(f"{where}: does not wait for the database to be healthy")
        grace = int_of(env.get("NOVELTA_SHUTDOWN_GRACE_SECONDS", 30))
        stop = seconds_of(svc.get("stop_grace_period", "10s"))
        if grace is None or stop is None or stop <= grace:
            err(f"{where}: stop_grace_period {svc.get('stop_grace_period')} is not above the drain time {grace} s")
    if balancers:
        conf = None
        for v in services[balancers[0]].get("volumes") or []:
            src = v.split(":")[0] if isinstance(v, str) else v.get("source", "")
            if src.endswith((".cfg", ".conf")):
                conf = os.path.normpath(os.path.join("docker", src))
        if not conf:
            err("docker/compose.yaml: the balancer mounts no configuration file")
        else:
            text = files.read_extra(conf)
            if not re.search(r"(httpchk|http-check send)[^\n]*/readyz", text):
                err(f"{conf}: the balancer does not check /readyz")
            servers = set(re.findall(r"^\s*server\s+\S+\s+([A-Za-z0-9_.-]+):8080", text, re.M))
            if servers != set(novelta):
                err(f"{conf}: servers {sorted(servers)} are not the replicas {sorted(novelta)}")


def k8s_documents(ctx):
    """Every document of docker/k8s by kind; checks kustomization.yaml lists them."""
    err, files = ctx.err, ctx.files
    docs = []
    for path in sorted(p for p in files.text if p.startswith("docker/k8s/")):
        try:
            for d in yaml.safe_load_all(files.text[path]):
                if d:
                    docs.append((path, d))
        except yaml.YAMLError as e:
            err(f"{path}: not YAML: {e}")
    kinds = {}
    for path, d in docs:
        kinds.setdefault(d.get("kind"), []).append((path, d))
    kust = kinds.get("Kustomization", [])
    manifests = {p for p, d in docs if d.get("kind") != "Kustomization"}
    if len(kust) != 1:
        err(f"docker/k8s: {len(kust)} kustomization.yaml, want 1")
    else:
        listed = {"docker/k8s/" + r for r in kust[0][1].get("resources") or []}
        for p in sorted(manifests - listed):
            err(f"docker/k8s/kustomization.yaml: {p} is not in resources")
        for p in sorted(listed - set(files.text)):
            err(f"docker/k8s/kustomization.yaml: resource {p} does not exist")
    return kinds


def check_deployment(ctx, kinds, image_uid):
    """The Deployment's replicas, probes, user, filesystem, resources and index."""
    err = ctx.err
    deployments = kinds.get("Deployment", [])
    if len(deployments) != 1:
        err(f"docker/k8s: {len(deployments)} Deployments, want 1")
        return None
    path, dep = deployments[0]
    where = f"{path}: Deployment {dep['metadata']['name']}"
    spec = dep.get("spec") or {}
    pod = (spec.get("template") or {}).get("spec") or {}
    pod_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    if (int_of(spec.get("replicas", 1)) or 0) < 2:
        err(f"{where}: replicas {spec.get('replicas', 1)}, want at least 2")
    if not picks((spec.get("selector") or {}).get("matchLabels"), pod_labels):
        err(f"{where}: its selector does not pick its own pods")
    containers = pod.get("containers") or []
    c = next((c for c in containers if c.get("name") == "novelta"), containers[0] if containers else {})
    ports = {p.get("name"): p.get("containerPort") for p in c.get("ports") or []}

    def probe(kind, want):
        get = (c.get(kind) or {}).get("httpGet") or {}
        if get.get("path") != want:
            err(f"{where}: {kind} path is {get.get('path')!r}, want {want}")
        port = get.get("port")
        if port not in ports and port not in ports.values():
            err(f"{where}: {kind} port {port!r} is not a container port")

    probe("readinessProbe", "/readyz")
    probe("livenessProbe", "/healthz")
    psc, csc = pod.get("securityContext") or {}, c.get("securityContext") or {}
    if not (csc.get("runAsNonRoot", psc.get("runAsNonRoot")) is True):
        err(f"{where}: runAsNonRoot is not true")
    uid = csc.get("runAsUser", psc.get("runAsUser", image_uid))
    if uid in (None, 0):
        err(f"{where}: runs as uid {uid}")
    elif image_uid is not None and uid != image_uid:
        err(f"{where}: runAsUser {uid} is not the image's user {image_uid}")
    if csc.get("readOnlyRootFilesystem") is not True:
        err(f"{where}: readOnlyRootFilesystem is not true")
    if csc.get("allowPrivilegeEscalation") is not False:
        err(f"{where}: allowPrivilegeEscalation is not false")
    res = c.get("resources") or {}
    if not (res.get("requests") and (res.get("limits") or {}).get("memory")):
        err(f"{where}: no resource requests or memory limit")
    mounts = {m.get("name"): m for m in c.get("volumeMounts") or []}
    volumes = {v.get("name"): v for v in pod.get("volumes") or []}
    index_mount = next((m for m in mounts.values() if m.get("mountPath") == INDEX_PATH), None)
    if not index_mount or index_mount.get("readOnly") is not True:
        err(f"{where}: the index is not mounted read-only at {INDEX_PATH}")
    else:
        vol = volumes.get(index_mount["name"]) or {}
        pvc = vol.get("persistentVolumeClaim")
        if pvc is not None:
            if pvc.get("readOnly") is not True:
                err(f"{where}: the index claim is not readOnly")
            if not named(kinds, "PersistentVolumeClaim", pvc.get("claimName")):
                err(f"{where}: no PersistentVolumeClaim {pvc.get('claimName')}")
        elif not vol:
            err(f"{where}: the index mount has no volume")
    return {"where": where, "pod": pod, "container": c, "labels": pod_labels, "ports": ports}


def check_environment(ctx, kinds, dep):
    """ConfigMap and Secret references resolve; names are settings; the drain fits."""
    err, where, pod, c = ctx.err, dep["where"], dep["pod"], dep["container"]
    # Environment: references resolve, names are settings.
    env_names, config = set(), {}
    for ref in c.get("envFrom") or []:
        if "configMapRef" in ref:
            cm = named(kinds, "ConfigMap", ref["configMapRef"].get("name"))
            if not cm:
                err(f"{where}: envFrom ConfigMap {ref['configMapRef'].get('name')} does not exist")
            else:
                config.update(cm.get("data") or {})
                env_names |= set(cm.get("data") or {})
        if "secretRef" in ref:
            sec = named(kinds, "Secret", ref["secretRef"].get("name"))
            if not sec:
                err(f"{where}: envFrom Secret {ref['secretRef'].get('name')} does not exist")
            else:
                env_names |= set(sec.get("data") or {}) | set(sec.get("stringData") or {})
    for e in c.get("env") or []:
        env_names.add(e.get("name"))
        if "value" in e:
            config[e["name"]] = e["value"]
        src = e.get("valueFrom") or {}
        for kind, key in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
            if key in src:
                ref = src[key]
                obj = named(kinds, kind, ref.get("name"))
                keys = set((obj or {}).get("data") or {}) | set((obj or {}).get("stringData") or {})
                if not obj:
                    err(f"{where}: env {e.get('name')}: {kind} {ref.get('name')} does not exist")
                elif ref.get("key") not in keys:
                    err(f"{where}: env {e.get('name')}: {kind} {ref.get('name')} has no key {ref.get('key')}")
    for kind in ("ConfigMap", "Secret"):
        for p, d in kinds.get(kind, []):
            ctx.setting_names(f"{p}: {kind} {d['metadata']['name']}",
                          set(d.get("data") or {}) | set(d.get("stringData") or {}))
    ctx.setting_names(where, env_names)
    state = str(config.get("NOVELTA_STATE_DIR", ""))
    if not state.startswith("postgresql://"):
        err(f"{where}: NOVELTA_STATE_DIR is {state!r}, not a postgresql:// URI")
    if "PGPASSWORD" not in env_names:
        err(f"{where}: no PGPASSWORD for the database")
    grace = int_of(config.get("NOVELTA_SHUTDOWN_GRACE_SECONDS", 30))
    pre_stop = ((c.get("lifecycle") or {}).get("preStop") or {}).get("exec", {}).get("command") or []
    pause = int_of(pre_stop[-1]) if pre_stop and pre_stop[0] == "sleep" else 0
    term = int_of(pod.get("terminationGracePeriodSeconds", 30))
    if grace is None or term is None or term <= grace + (pause or 0):
        err(f"{where}: terminationGracePeriodSeconds {term} is not above the preStop pause {pause} s "
            f"plus NOVELTA_SHUTDOWN_GRACE_SECONDS {grace}")


def check_selectors(ctx, kinds, dep):
    """The PodDisruptionBudget and the Service pick the Deployment's pods."""
    err, pod_labels, ports = ctx.err, dep["labels"], dep["ports"]
    pdbs = kinds.get("PodDisruptionBudget", [])
    if not pdbs:
        err("docker/k8s: no PodDisruptionBudget")
    for p, d in pdbs:
        if not picks(((d.get("spec") or {}).get("selector") or {}).get("matchLabels"), pod_labels):
            err(f"{p}: PodDisruptionBudget selector does not pick the Deployment's pods")
    svcs = kinds.get("Service", [])
    if not svcs:
        err("docker/k8s: no Service")
    for p, d in svcs:
        if not picks((d.get("spec") or {}).get("selector"), pod_labels):
            err(f"{p}: Service selector does not pick the Deployment's pods")
        for sp in (d.get("spec") or {}).get("ports") or []:
            t = sp.get("targetPort", sp.get("port"))
            if t not in ports and t not in ports.values():
                err(f"{p}: Service targetPort {t!r} is not a container port")


def check(files):
    ctx = Context(files)
    image_uid = check_image(ctx)
    check_compose(ctx)
    kinds = k8s_documents(ctx)
    dep = check_deployment(ctx, kinds, image_uid)
    if dep:
        check_environment(ctx, kinds, dep)
        check_selectors(ctx, kinds, dep)
    return ctx.errors


# Each breakage: (file, text to replace, replacement, what it breaks).
BREAKAGES = [
    ("docker/k8s/deployment.yaml", "path: /readyz", "path: /healthz", "readiness on /healthz"),
    ("docker/k8s/deployment.yaml", "replicas: 3", "replicas: 1", "one replica"),
    ("docker/k8s/deployment.yaml", "runAsNonRoot: true", "runAsNonRoot: false", "root allowed"),
    ("docker/k8s/deployment.yaml", "readOnly: true\n", "readOnly: false\n", "index writable"),
    ("docker/k8s/deployment.yaml", "terminationGracePeriodSeconds: 45", "terminationGracePeriodSeconds: 30",
     "grace below the drain"),
    ("docker/k8s/deployment.yaml", "key: PGPASSWORD", "key: PGPASSWROD", "a Secret key that does not exist"),
    ("docker/k8s/configmap.yaml", "NOVELTA_WORKERS:", "NOVELTA_WORKER:", "a misspelt setting"),
    ("docker/k8s/configmap.yaml", 'NOVELTA_STATE_DIR: "postgresql://', 'NOVELTA_STATE_DIR: "/var/lib/',
     "state not in PostgreSQL"),
    ("docker/k8s/pdb.yaml", "app.kubernetes.io/component: api", "app.kubernetes.io/component: web",
     "PDB selector off"),
    ("docker/k8s/service.yaml", "app.kubernetes.io/name: novelta\n    app", "app.kubernetes.io/name: other\n    app",
     "Service selector off"),
    ("docker/k8s/kustomization.yaml", "  - pdb.yaml\n", "", "a manifest left out of kustomization"),
    ("docker/compose.yaml", "read_only: true\n  # The service", "read_only: false\n  # The service",
     "compose index writable"),
    ("docker/compose.yaml", '"--state", "postgresql://novelta@db:5432/novelta"', '"--state", "/var/lib/novelta/state"',
     "compose state not in PostgreSQL"),
    ("docker/compose.yaml", "PGPASSWORD: ${NOVELTA_DB_PASSWORD", "PGPASSWORD: secret ${NOVELTA_DB_PASSWORD",
     "compose password written in the file"),
    ("docker/haproxy.cfg", "uri /readyz", "uri /healthz", "balancer checks /healthz"),
    ("docker/haproxy.cfg", "    server novelta-3 novelta-3:8080\n", "", "balancer without a replica"),
    ("docker/compose.yaml", "  novelta-3: *novelta\n", "", "two replicas"),
    ("docker/compose.yaml", "NOVELTA_WORKERS:", "NOVELTA_WORKRS:", "compose misspelt setting"),
    ("docker/compose.yaml", "stop_grace_period: 40s", "stop_grace_period: 20s", "compose grace below the drain"),
    ("docker/Dockerfile", "USER 10001:10001", "USER root", "image runs as root"),
    ("docker/Dockerfile", "/tmp/runtime-packages.txt | xargs apt-get install -y --no-install-recommends",
     "/tmp/runtime-packages.txt | xargs apt-get install -y --no-install-recommends libssl-dev",
     "a -dev package in the runtime image"),
]


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../.."))
    files = Files(root)
    errors = check(files)
    for e in errors:
        print("FAIL", e)
    base = set(errors)
    caught = 0
    for path, old, new, what in BREAKAGES:
        broken = files.copy()
        if old not in broken.text[path]:
            print(f"FAIL breakage '{what}': {path} no longer contains {old!r}; update BREAKAGES")
            errors.append(what)
            continue
        broken.text[path] = broken.text[path].replace(old, new, 1)
        found = [e for e in check(broken) if e not in base]
        if not found:
            print(f"FAIL breakage '{what}' ({path}) is not caught")
            errors.append(what)
        else:
            caught += 1
            print(f"ok   breakage '{what}' caught: {found[0]}")
    print(f"check_manifests: {len(errors)} failure(s); {caught} of {len(BREAKAGES)} breakages caught")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
