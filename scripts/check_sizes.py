#!/usr/bin/env python3
"""Checks the size rules of the source tree: no source file over 800 lines
(tests aside) and no function over 120 lines (from its signature's first line
to its closing brace, lambdas counted in the function that holds them).

Usage: scripts/check_sizes.py [ROOT]   (default: the repository root)
Prints each file or function over its limit and exits 1 when there is one.
The function finder is a brace matcher over C++ with comments and string
literals blanked out: good enough for this code base's style, not a parser.
"""
import os
import re
import sys

MAX_FILE_LINES = 800
MAX_FUNCTION_LINES = 120
SKIP_DIRS = {'.git', 'data', 'out', 'node_modules'}


def blank_comments_and_strings(text):
    """The text with comments, string and char literals replaced by spaces (newlines kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i)); i = j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j])); i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', text[i:])
            if not m:
                out.append(c); i += 1; continue
            end = text.find(')' + m.group(1) + '"', i)
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j])); i = j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            out.append(' ' * (min(j + 1, n) - i)); i = j + 1
        else:
            out.append(c); i += 1
    return ''.join(out)


def functions(text):
    """(name, first line, last line) of every function body at namespace or class scope."""
    code = blank_comments_and_strings(text)
    found, stack = [], []  # stack of (kind, start offset, name)
    for m in re.finditer(r'[{}]', code):
        pos = m.start()
        if m.group() == '{':
            head = code[max(0, pos - 600):pos]
            scope_ok = all(k == 'scope' for k, _, _ in stack)
            # A function body: the text before '{' ends with ')' and maybe
            # qualifiers, a trailing return type or a constructor's initializers.
            sig = re.search(r'(\w[\w:~<>,*& ]*)\s*\([^;{}]*\)\s*(const|override|noexcept|final|mutable|\s|->\s*[\w:<>,*& ]+)*'
                            r'(:\s*[^;{}]*)?$', head)
            is_scope = re.search(r'\b(namespace|class|struct|union|enum)\b[^;{}()]*$', head) or \
                re.search(r'extern\s*$', head)
            if scope_ok and sig and not is_scope and not re.search(r'\b(if|for|while|switch|catch)\s*\([^;{}]*\)\s*$', head):
                name = sig.group(1).split()[-1] if sig.group(1).split() else '?'
                stack.append(('function', pos - len(head) + sig.start(), name))
            elif is_scope and scope_ok:
                stack.append(('scope', pos, ''))
            else:
                stack.append(('block', pos, ''))
        else:
            if not stack:
                continue
            kind, start, name = stack.pop()
            if kind == 'function':
                first = code.count('\n', 0, start) + 1
                last = code.count('\n', 0, pos) + 1
                found.append((name, first, last))
    return found


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    problems = []
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if x not in SKIP_DIRS and not x.startswith('build')]
        for f in files:
            if not f.endswith(('.cc', '.h')):
                continue
            path = os.path.join(d, f)
            rel = os.path.relpath(path, root)
            text = open(path, encoding='utf-8', errors='replace').read()
            n = text.count('\n')
            is_test = f.endswith('_test.cc') or rel.startswith('tests' + os.sep)
            if n > MAX_FILE_LINES and not is_test:
                problems.append(f'{rel}: {n} lines (limit {MAX_FILE_LINES})')
            for name, first, last in functions(text):
                if last - first + 1 > MAX_FUNCTION_LINES:
                    problems.append(f'{rel}:{first}: {name} is {last - first + 1} lines (limit {MAX_FUNCTION_LINES})')
    for p in sorted(problems):
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
