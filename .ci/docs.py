#!/usr/bin/env python3
"""Build the documentation site into _site/ without Quarto, and check it.

  .ci/docs           nbdev's own processing (`_proc/`, what Quarto renders where it exists), then Debian's pandoc:
                     one HTML page per notebook, the sidebar from nbs/sidebar.yml, links between pages relative.
                     Open _site/index.html in a browser.
  .ci/docs --check   the same, then fail on: a broken internal link or anchor; a public function, class or method
                     without its own entry; an entry documented twice; a heading ending in " -"; a file named in the
                     docs that is not in the repository; a `#| live` cell with committed output; fewer than 60% of
                     the code cells a reader sees showing an output.

Needs the dev install (`pip install -e ".[dev]"`, for nbdev) and pandoc. The published site is still built by
nbdev's Quarto workflow where Quarto exists; this is for reading locally and for checking in CI.
"""
import html, json, os, re, shutil, subprocess, sys, tomllib
from html.parser import HTMLParser
from pathlib import Path
import yaml

ROOT = Path(__file__).resolve().parent.parent
SITE, PROC, NBS = ROOT / '_site', ROOT / '_proc', ROOT / 'nbs'
CONFIG = tomllib.loads((ROOT / 'pyproject.toml').read_text())['tool']['nbdev']
LIB = CONFIG.get('lib_path', 'domo_routes')
OUTPUT_TARGET = 0.60

TEMPLATE = '''<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title$ – domo_routes</title><link rel="stylesheet" href="site.css"></head>
<body><nav class="sidebar"><a class="home" href="index.html">domo_routes</a>$nav$</nav>
<main><header><h1 class="title">$title_html$</h1>$if(description)$<p class="description">$description$</p>$endif$</header>
$body$</main></body></html>
'''
CSS = '''body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;display:flex}
nav.sidebar{width:230px;min-height:100vh;padding:1.2em;background:#f6f8fa;border-right:1px solid #ddd;flex:none;font-size:15px}
nav.sidebar .home{font-weight:700;font-size:1.2em;display:block;margin-bottom:1em;color:#222;text-decoration:none}
nav.sidebar h4{margin:1.2em 0 .3em;font-size:.8em;text-transform:uppercase;color:#666}
nav.sidebar ul{list-style:none;padding:0;margin:0}nav.sidebar li{margin:.2em 0}
nav.sidebar a.current{font-weight:700}
main{max-width:960px;padding:1em 2.5em 4em;min-width:0}
.title{margin-bottom:.2em}.description{color:#555;font-size:1.1em;margin-top:0}
pre{background:#f6f8fa;padding:.7em 1em;overflow-x:auto;border-radius:4px;font-size:14px}
pre.output{background:#fff;border-left:3px solid #9ab;border-radius:0}
code{font-size:.92em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
hr{border:none;border-top:1px solid #eee;margin:2em 0 1em}
a{color:#0b5cad}h3{margin-top:.3em}
'''

USER_FILES = ('config.toml',) # the profiles file the docs name: ~/.config/domo_routes/config.toml

def run(*args, **kwargs): return subprocess.run(args, cwd=ROOT, check=True, text=True, **kwargs)

def directives(source: str) -> dict:
    "`#| key: value` lines at the top of a cell"
    found = {}
    for line in source.splitlines():
        m = re.match(r'\s*#\|\s*([\w-]+)\s*:?\s*(.*)$', line)
        if not m: break
        found[m.group(1)] = m.group(2).strip()
    return found

def without_directives(source: str) -> str:
    lines = source.splitlines()
    while lines and re.match(r'\s*#\|', lines[0]): lines.pop(0)
    return '\n'.join(lines).strip('\n')

def fence(text: str, cls: str) -> str:
    ticks = '`' * max(3, max((len(m) for m in re.findall(r'`+', text)), default=0) + 1)
    return f'{ticks} {{.{cls}}}\n{text.rstrip()}\n{ticks}'

def output_markdown(output: dict) -> str:
    "One cell output as markdown: markdown as is, text and reprs as a plain block"
    if output.get('output_type') == 'stream': return fence(''.join(output['text']), 'output')
    if output.get('output_type') == 'error': return fence('\n'.join(output.get('traceback', [])), 'output')
    data = output.get('data', {})
    if 'text/markdown' in data: return ''.join(data['text/markdown'])
    if 'text/html' in data: return '```{=html}\n' + ''.join(data['text/html']) + '\n```'
    if 'text/plain' in data: return fence(''.join(data['text/plain']), 'output')
    return ''

class Page:
    "A processed notebook, as markdown for pandoc, with the counts the check needs"
    def __init__(self, proc_path: Path):
        self.nb = json.loads(proc_path.read_text())
        self.name = proc_path.name
        self.front, self.parts, self.code_cells, self.with_output = {}, [], 0, 0
        for cell in self.nb['cells']:
            source = ''.join(cell['source'])
            if cell['cell_type'] == 'raw' and source.startswith('---'):
                self.front = yaml.safe_load(source.strip('-\n')) or {}
                continue
            if cell['cell_type'] == 'markdown':
                self.parts.append(source); continue
            if cell['cell_type'] != 'code': continue
            found = directives(source)
            asis = found.get('output', '').lower() == 'asis'  # printed text is markdown (Quarto's `output: asis`)
            outputs = [''.join(o['text']) if asis and o.get('output_type') == 'stream' else output_markdown(o)
                       for o in cell.get('outputs', [])]
            outputs = [o for o in outputs if o.strip()]
            if found.get('echo', '').lower() != 'false':
                code = without_directives(source)
                if not code: continue
                self.code_cells += 1
                self.with_output += bool(outputs)
                if code.startswith('%%bash\n'): self.parts.append(fence(code[len('%%bash\n'):], 'sh'))  # shown as the commands it runs
                else: self.parts.append(fence(code, 'python'))
            self.parts += outputs
        self.output_file = self.front.get('output-file') or proc_path.with_suffix('.html').name
        self.title = self.front.get('title') or proc_path.stem

    def markdown(self) -> str: return '\n\n'.join(self.parts)

def inline_code(text: str) -> str:
    "A title as HTML, `code` spans rendered as code (titles are markdown in the notebooks)"
    return re.sub(r'`([^`]+)`', r'<code>\1</code>', html.escape(text))

def sidebar_pages() -> list:
    "(section, [notebook names]) in the order of nbs/sidebar.yml"
    doc = yaml.safe_load((NBS / 'sidebar.yml').read_text())
    return [(s['section'], s['contents']) for s in doc['website']['sidebar']['contents']]

def relative_links(text: str) -> str:
    "Links into this site made relative (nbdev writes them with the published host)"
    host = f"{CONFIG.get('doc_host', '').rstrip('/')}{CONFIG.get('doc_baseurl', '/')}"
    return text.replace(host, '') if host.startswith('http') else text

def build() -> dict:
    if shutil.which('pandoc') is None: sys.exit('.ci/docs needs pandoc (Debian: apt-get install pandoc)')
    run('nbdev-proc-nbs', capture_output=True)
    SITE.mkdir(exist_ok=True)
    for old in SITE.glob('*.html'): old.unlink()
    (SITE / 'site.css').write_text(CSS)
    template = SITE / '.template.html'
    template.write_text(TEMPLATE)
    sections = sidebar_pages()
    pages = {nb: Page(PROC / nb) for _, nbs in sections for nb in nbs}
    for nb, page in pages.items():
        nav = ''.join(f'<h4>{html.escape(section)}</h4><ul>' + ''.join(
                  f'<li><a href="{pages[n].output_file}"{" class=current" if n == nb else ""}>{inline_code(pages[n].title)}</a></li>'
                  for n in names) + '</ul>' for section, names in sections)
        source = SITE / f'.{page.output_file}.md'
        source.write_text(relative_links(page.markdown()))
        run('pandoc', str(source), '-f', 'markdown-smart', '-t', 'html5', '--standalone', f'--template={template}',
            '--syntax-highlighting=none' if _pandoc_has('--syntax-highlighting') else '--no-highlight',
            '-M', f'title={page.title.replace("`", "")}', '-V', f'title_html={inline_code(page.title)}', '-M', f'description={page.front.get("description", "")}',
            '-V', f'nav={nav}', '-o', str(SITE / page.output_file))
        source.unlink()
    template.unlink()
    print(f'built {len(pages)} pages into {SITE.relative_to(ROOT)}/ (open {SITE.relative_to(ROOT)}/index.html)')
    return pages

def _pandoc_has(option: str) -> bool:
    return option in subprocess.run(['pandoc', '--help'], capture_output=True, text=True).stdout

class Anchors(HTMLParser):
    "Ids, links and headings of one page"
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.headings, self._heading = [], [], [], None
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if 'id' in attrs: self.ids.append(attrs['id'])
        if tag == 'a' and attrs.get('href'): self.links.append(attrs['href'])
        if re.fullmatch(r'h[1-6]', tag): self._heading = ''
    def handle_endtag(self, tag):
        if re.fullmatch(r'h[1-6]', tag) and self._heading is not None: self.headings.append(self._heading.strip()); self._heading = None
    def handle_data(self, data):
        if self._heading is not None: self._heading += data

def public_symbols() -> dict:
    "Every public function, class and method nbdev indexed: name → 'page.html#anchor'"
    spec = {}
    exec((ROOT / LIB / '_modidx.py').read_text(), spec)
    found = {}
    for module, syms in spec['d']['syms'].items():
        for name, (link, _) in syms.items():
            parts = name.split('.')[1:]
            if any(p.startswith('_') for p in parts[1:]): continue
            found[name] = link
    return found

def check(pages: dict) -> list:
    problems = []
    parsed = {}
    for page in pages.values():
        parser = Anchors()
        parser.feed((SITE / page.output_file).read_text())
        parsed[page.output_file] = parser
    for name, parser in parsed.items():
        for anchor in {i for i in parser.ids if parser.ids.count(i) > 1}:
            problems.append(f'{name}: the anchor #{anchor} is defined {parser.ids.count(anchor)} times (a duplicate entry?)')
        for link in parser.links:
            if re.match(r'[a-z]+:', link): continue
            target, _, anchor = link.partition('#')
            target = target or name
            if target not in parsed: problems.append(f'{name}: link to {link}: no such page'); continue
            if anchor and anchor not in parsed[target].ids: problems.append(f'{name}: link to {link}: no such anchor')
        for heading in parser.headings:
            if heading.endswith(' -') or heading.endswith('-'): problems.append(f'{name}: heading "{heading}" ends in " -"')
    for symbol, link in public_symbols().items():
        target, _, anchor = link.partition('#')
        if target not in parsed or anchor not in parsed[target].ids:
            problems.append(f'{symbol}: no entry ({link})')
    tracked = set(run('git', 'ls-files', capture_output=True).stdout.split())
    names = {Path(t).name for t in tracked} | tracked
    for page in pages.values():
        text = page.markdown()
        for ref in set(re.findall(r'(?<![\w/.:-])([\w./-]+\.(?:md|txt|ipynb|yml|yaml|toml|cfg))\b', text)):
            users = Path(ref).name in USER_FILES  # a file the library reads from the user's folders, not the repository's
            if ref not in names and ref.lstrip('./') not in names and not ref.startswith(('http', 'www.')) and not users:
                problems.append(f'{page.output_file}: names the file {ref}, which is not in the repository')
        for word in set(re.findall(r'\b[Ss]eeds?\b', text)):
            problems.append(f'{page.output_file}: says "{word}" (jargon a reader cannot know)')
    for path in sorted(NBS.glob('*.ipynb')):
        for i, cell in enumerate(json.loads(path.read_text())['cells']):
            if cell['cell_type'] == 'code' and 'live' in directives(''.join(cell['source'])) and cell.get('outputs'):
                problems.append(f'{path.name}: cell {i} is a live cell with committed output')
    seen = sum(p.code_cells for p in pages.values()); shown = sum(p.with_output for p in pages.values())
    share = shown / seen if seen else 1.0
    print(f'{shown} of {seen} code cells a reader sees show an output ({share:.0%}; at least {OUTPUT_TARGET:.0%} needed)')
    for page in pages.values(): print(f'  {page.output_file:22} {page.with_output:3} of {page.code_cells:3}')
    if share < OUTPUT_TARGET: problems.append(f'only {share:.0%} of the code cells a reader sees show an output')
    return problems

if __name__ == '__main__':
    pages = build()
    if '--check' in sys.argv[1:]:
        problems = check(pages)
        for p in problems: print('docs check:', p)
        if problems: sys.exit(f'docs check: {len(problems)} problems')
        print('docs check: passed')
