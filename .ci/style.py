#!/usr/bin/env python3
"""The package's shape, checked: every method in its class body, small functions, short lines, one statement a line.

  python .ci/style.py      exit 1 and one line a problem when:
    - a function has a cyclomatic complexity (radon) above 15, or more than 5 functions are above 10;
    - a line is longer than 120 characters (nbdev's generated `__all__` line excepted);
    - two statements are joined with `;`;
    - `@patch` or a re-opened class (`class X(X):`) is used, or a method is attached after its class (`X.f = ...`);
    - the package imports fastcore, or the fakes outside `domo_routes.testing` (production code never imports them).
Needs radon (.ci/run installs it in the CI tools' environment).
"""
import ast, io, re, sys, tokenize
from pathlib import Path
from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / 'domo_routes'
ALLOWED_OVER_10, MAX_COMPLEXITY, MAX_LINE = 5, 15, 120

def sources() -> list:
    return sorted(p for p in PACKAGE.rglob('*.py') if p.name != '_modidx.py')

def complexity(problems: list) -> list:
    blocks = []
    for path in sources():
        for block in cc_visit(path.read_text()):
            for item in [block, *getattr(block, 'methods', [])]:
                if getattr(item, 'is_method', None) is not None or not hasattr(item, 'methods'):
                    blocks.append((item.complexity, f'{path.relative_to(ROOT)}:{item.lineno} {item.fullname}'))
    blocks = sorted(set(blocks), reverse=True)
    problems += [f'{where}: complexity {c} (at most {MAX_COMPLEXITY})' for c, where in blocks if c > MAX_COMPLEXITY]
    over = [b for b in blocks if b[0] > 10]
    if len(over) > ALLOWED_OVER_10:
        problems.append(f'{len(over)} functions above complexity 10 (at most {ALLOWED_OVER_10}): '
                        + ', '.join(f'{w.split(" ")[-1]} {c}' for c, w in over))
    return blocks

def lines_and_statements(problems: list) -> None:
    for path in sources():
        text = path.read_text()
        for number, line in enumerate(text.splitlines(), 1):
            if len(line) > MAX_LINE and not line.startswith('__all__'):
                problems.append(f'{path.relative_to(ROOT)}:{number}: {len(line)} characters (at most {MAX_LINE})')
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.OP and token.string == ';':
                problems.append(f'{path.relative_to(ROOT)}:{token.start[0]}: two statements joined with ;')

def shape(problems: list) -> None:
    for path in sources():
        tree, where = ast.parse(path.read_text()), path.relative_to(ROOT)
        classes = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                if any(isinstance(b, ast.Name) and b.id == node.name for b in node.bases):
                    problems.append(f'{where}:{node.lineno}: class {node.name} re-opened')
                classes.add(node.name)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if any('patch' in ast.unparse(d) for d in node.decorator_list):
                    problems.append(f'{where}:{node.lineno}: @patch on {node.name}')
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, 'module', None) or '']
                if any(n.split('.')[0] == 'fastcore' for n in names):
                    problems.append(f'{where}:{node.lineno}: imports fastcore')
                imported = ' '.join(names)
                outside = 'testing' not in where.parts and where.name not in ('fake.py', 'demo.py')
                if outside and re.search(r'\b(testing|fake)\b', imported) and '__init__' not in where.name:
                    problems.append(f'{where}:{node.lineno}: production code imports the fakes')
        for node in tree.body:  # `X.name = ...` after the class: a method attached from outside
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    for t in (target.elts if isinstance(target, ast.Tuple) else [target]):
                        if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id in classes:
                            problems.append(f'{where}:{node.lineno}: {t.value.id}.{t.attr} attached after the class')

def minimums(problems: list) -> None:
    "Every lower bound of pyproject.toml's dependencies (and the redis, keyring and requests extras) is pinned in .ci/minimum-versions.txt"
    import tomllib
    project = tomllib.loads((ROOT / 'pyproject.toml').read_text())['project']
    bounds = {}
    extras = project['optional-dependencies']
    for spec in project['dependencies'] + extras['redis'] + extras['keyring'] + extras['requests']:
        name, low = re.match(r'([A-Za-z0-9_.-]+)\s*>=\s*([^,;\s]+)', spec).groups()
        bounds[name.lower()] = low
    pinned = dict(re.findall(r'(?m)^([A-Za-z0-9_.-]+)==(\S+)', (ROOT / '.ci' / 'minimum-versions.txt').read_text()))
    pinned = {k.lower(): v for k, v in pinned.items()}
    def same(a, b): return re.sub(r'(\.0+)+$', '', a) == re.sub(r'(\.0+)+$', '', b)
    for name, low in bounds.items():
        if pinned.get(name) is None or not same(pinned[name], low):
            problems.append(f'.ci/minimum-versions.txt: {name} should be pinned at the lower bound {low} (has {pinned.get(name)})')

if __name__ == '__main__':
    problems: list = []
    minimums(problems)
    blocks = complexity(problems)
    lines_and_statements(problems)
    shape(problems)
    for p in problems: print('style:', p)
    over = [b for b in blocks if b[0] > 10]
    print(f'style: {len(blocks)} functions, longest complexity {blocks[0][0]} ({blocks[0][1].split(" ")[-1]}), '
          f'{len(over)} above 10, none above {MAX_COMPLEXITY}' if not problems else f'style: {len(problems)} problems')
    sys.exit(1 if problems else 0)
