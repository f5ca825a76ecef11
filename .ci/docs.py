#!/usr/bin/env python3
"""Build the documentation site into _site/ without Quarto, and check it.

  .ci/docs           nbdev's own processing (`_proc/`, what Quarto renders where it exists), then Debian's pandoc:
                     one HTML page per notebook, the sidebar from nbs/sidebar.yml, links between pages relative.
                     Open _site/index.html in a browser.
  .ci/docs --check   the same, then print, page by page, the code cells showing an output, the words, the entries
                     and the visible test lines, and fail, one line a problem naming the page, on:
    - links: a broken link between pages or to an anchor; a link to the site's own host (absolute: it should have
      been made relative); a link to a private name's anchor (`page.html#_login`, `#Client._send`);
    - entries: a public function, class or method without its own entry; an entry documented twice; an entry whose
      heading names a private name, or whose signature has a private parameter, default or type (`_depth=`,
      `sleep=_sleep`, `_SessionTimeout`), or whose signature or table says `__main__.` (dunders are public);
    - headings: one ending in " -"; an empty one (## to ####, followed only by a heading of the same or a higher
      level, or by the end of the page);
    - prose: a paragraph ending in ":" followed by a heading or by nothing (what it introduced is hidden; code, an
      output or an entry after it is fine); a file named that is not in the repository; "seed";
    - code: a test assertion a reader sees (a line of a code cell not hidden by `#| hide` or `#| echo: false` that
      is `assert ...` or calls `test_eq(`, `test_ne(`, `test_fail(`, `test_is(`, `test_close(`, `test_warns(`,
      `raises(` or `pytest.raises(`); a `#| live` cell with committed output; fewer than 60% of the code cells a
      reader sees showing an output;
    - length: a page of more than 2,500 words (the text of its <main>: prose, code and outputs, not the sidebar).
  An entry is a show_doc heading (h3 or h4, followed by its signature). The rules are small functions of a page's
  markdown parts (Page.parts) or HTML: tests/test_docs_check.py tests each one without a build.

Needs the dev install (`pip install -e ".[dev]"`, for nbdev) and pandoc. The published site is still built by
nbdev's Quarto workflow where Quarto exists; this is for reading locally and for checking in CI.
"""
import html, importlib, inspect, json, re, shutil, subprocess, sys
from collections import Counter, namedtuple
from itertools import groupby
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SITE, PROC, NBS = ROOT / '_site', ROOT / '_proc', ROOT / 'nbs'
OUTPUT_TARGET = 0.60
MAX_WORDS = 2500

TEMPLATE = '''<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title$ – domo_routes</title><link rel="stylesheet" href="site.css"></head>
<body><nav class="sidebar"><a class="home" href="index.html">domo_routes</a>$nav$</nav>
<main><header><h1 class="title">$title_html$</h1>
$if(description)$<p class="description">$description$</p>$endif$</header>
$body$</main></body></html>
'''
CSS = '''body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;display:flex}
nav.sidebar{width:230px;min-height:100vh;padding:1.2em;background:#f6f8fa;border-right:1px solid #ddd;flex:none;
font-size:15px}
nav.sidebar .home{font-weight:700;font-size:1.2em;display:block;margin-bottom:1em;color:#222;text-decoration:none}
nav.sidebar h4{margin:1.2em 0 .3em;font-size:.8em;text-transform:uppercase;color:#666}
nav.sidebar ul{list-style:none;padding:0;margin:0}nav.sidebar li{margin:.2em 0}
nav.sidebar a.current{font-weight:700}
main{max-width:960px;padding:1em 2.5em 4em;min-width:0}
.title{margin-bottom:.2em}.description{color:#555;font-size:1.1em;margin-top:0}
pre{background:#f6f8fa;padding:.7em 1em;overflow-x:auto;border-radius:4px;font-size:14px}
pre.output{background:#fff;border-left:3px solid #9ab;border-radius:0}
code{font-size:.92em}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
hr{border:none;border-top:1px solid #eee;margin:2em 0 1em}
a{color:#0b5cad}h3{margin-top:.3em}
'''

USER_FILES = ('config.toml',) # the profiles file the docs name: ~/.config/domo_routes/config.toml

# words of the project's history, not of a reader's: where the code came from is not what it does
JARGON = r'\bseeds?\b|\boriginal\s+Auth\s+Routes\b|\bPyPI\s+ancestor\b|\bsource\s+material\b|\bthis\s+notebook\b'

def run(*args, **kwargs): return subprocess.run(args, cwd=ROOT, check=True, text=True, **kwargs)

@lru_cache(maxsize=None)
def nbdev_config():
    "nbdev's own configuration (pyproject.toml's [tool.nbdev] with nbdev's defaults): doc_host, doc_baseurl, lib_path"
    from nbdev.config import get_config
    return get_config(path=ROOT)

def site_url() -> str:
    "Where the site is published, as nbdev writes links to it: https://<host><baseurl>/"
    cfg = nbdev_config()
    host, base = str(cfg.doc_host or '').rstrip('/'), str(cfg.doc_baseurl or '').strip('/')
    return f'{host}/{base}/' if base else f'{host}/'

# --- the pages: each processed notebook as markdown parts, in the order a reader meets them ---

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
        import yaml
        self.nb = json.loads(proc_path.read_text())
        self.name = proc_path.name
        self.front, self.parts, self.code_cells, self.with_output = {}, [], 0, 0
        for cell in self.nb['cells']:
            source = ''.join(cell['source'])
            if cell['cell_type'] == 'raw' and source.startswith('---'):
                self.front = yaml.safe_load(source.strip('-\n')) or {}
            elif cell['cell_type'] == 'markdown': self.parts.append(source)
            elif cell['cell_type'] == 'code': self.add_code(cell, source)
        self.output_file = self.front.get('output-file') or proc_path.with_suffix('.html').name
        self.title = self.front.get('title') or proc_path.stem

    def add_code(self, cell: dict, source: str):
        "A code cell's code, unless hidden, then its outputs"
        found = directives(source)
        asis = found.get('output', '').lower() == 'asis'  # printed text is markdown (Quarto's `output: asis`)
        outputs = [''.join(o['text']) if asis and o.get('output_type') == 'stream' else output_markdown(o)
                   for o in cell.get('outputs', [])]
        outputs = [o for o in outputs if o.strip()]
        if found.get('echo', '').lower() != 'false':
            code = without_directives(source)
            if not code: return
            self.code_cells += 1
            self.with_output += bool(outputs)
            if code.startswith('%%bash\n'): self.parts.append(fence(code[len('%%bash\n'):], 'sh'))  # what it runs
            else: self.parts.append(fence(code, 'python'))
        self.parts += outputs

    def markdown(self) -> str: return '\n\n'.join(self.parts)

def inline_code(text: str) -> str:
    "A title as HTML, `code` spans rendered as code (titles are markdown in the notebooks)"
    return re.sub(r'`([^`]+)`', r'<code>\1</code>', html.escape(text))

def sidebar_pages() -> list:
    "(section, [notebook names]) in the order of nbs/sidebar.yml"
    import yaml
    doc = yaml.safe_load((NBS / 'sidebar.yml').read_text())
    return [(s['section'], s['contents']) for s in doc['website']['sidebar']['contents']]

LINK_TARGET = r'(\]\([ \t]*|^[ \t]*\[[^\]\n]+\]:[ \t]*|href=["\'])'  # a markdown link's, a reference's, an <a>'s

def relative_links(text: str, site: str | None = None) -> str:
    "Links into this site made relative: nbdev writes them with the published host (https://<host><baseurl>/page.html)"
    site = site_url() if site is None else site
    if not site.startswith('http'): return text
    text = re.sub(LINK_TARGET + re.escape(site) + r'(?![\w.-])', r'\1index.html', text, flags=re.M)  # the home page
    return re.sub(LINK_TARGET + re.escape(site), r'\1', text, flags=re.M)

# --- the build ---

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
    for nb, page in pages.items(): render(page, sidebar(pages, sections, nb), template)
    template.unlink()
    print(f'built {len(pages)} pages into {SITE.relative_to(ROOT)}/ (open {SITE.relative_to(ROOT)}/index.html)')
    return pages

def sidebar(pages: dict, sections: list, current: str) -> str:
    def item(n): return (f'<li><a href="{pages[n].output_file}"{" class=current" if n == current else ""}>'
                         f'{inline_code(pages[n].title)}</a></li>')
    return ''.join(f'<h4>{html.escape(section)}</h4><ul>' + ''.join(item(n) for n in names) + '</ul>'
                   for section, names in sections)

def render(page: Page, nav: str, template: Path):
    "One page through pandoc"
    source = SITE / f'.{page.output_file}.md'
    source.write_text(relative_links(page.markdown()))
    run('pandoc', str(source), '-f', 'markdown-smart', '-t', 'html5', '--standalone', f'--template={template}',
        '--syntax-highlighting=none' if _pandoc_has('--syntax-highlighting') else '--no-highlight',
        '-M', f'title={page.title.replace("`", "")}', '-V', f'title_html={inline_code(page.title)}',
        '-V', f'description={inline_code(page.front.get("description", ""))}', '-V', f'nav={nav}',
        '-o', str(SITE / page.output_file))
    source.unlink()

def _pandoc_has(option: str) -> bool:
    return option in subprocess.run(['pandoc', '--help'], capture_output=True, text=True).stdout

# --- reading a page back: its markdown parts as blocks, its entries, its HTML ---

# kind: heading (level 1-6), entry (a show_doc heading: an h3 or h4 its signature follows in the same markdown part),
# text (a paragraph) or code (any fence: a code cell, an output, a signature)
Block = namedtuple('Block', 'kind level text')
Entry = namedtuple('Entry', 'level name signature rest')  # a show_doc entry: heading, signature, docstring and table

CELL_FENCE = re.compile(r'(`{3,}) \{\.(python|sh)\}\n(.*)\n\1\Z', re.S)  # a code cell a reader sees, as Page writes it
OPENING = re.compile(r' {0,3}(`{3,}|~{3,})(.*)$')
HEADING = re.compile(r' {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$')
# not content: a rule, a show_doc entry's [source] link, a div's fence (:::), a line of blanks
DECORATION = re.compile(r' {0,3}(([-*_])([ \t]*\2){2,}|\[source\]\(.*\)(\{.*\})?|:{3,}.*|)[ \t]*$')
ENTRY = re.compile(r'^(#{3,4})[ \t]+([^\n]+?)[ \t]*\n[ \t]*\n(`{3,})python\n(.*?)\n\3[ \t]*$'
                   r'(.*?)(?=^ {0,3}#{1,6}[ \t]|\Z)', re.M | re.S)

def markdown_blocks(text: str) -> list:
    "The headings, paragraphs and fenced blocks of one markdown part (HTML comments and decoration left out)"
    found = []
    for kind, group in groupby(_lines(re.sub(r'<!--.*?-->', '', text, flags=re.S)), key=lambda b: b.kind):
        if kind == 'text': found.append(Block('text', 0, ' '.join(b.text for b in group)))
        elif kind != 'gap': found += list(group)
    return _entries_marked(found)

def _lines(text: str):
    "Each line of a markdown part as a block (a fence and its body as one; decoration and blank lines as a gap)"
    lines, i = text.splitlines(), 0
    while i < len(lines):
        opening, heading = OPENING.match(lines[i]), HEADING.match(lines[i])
        if opening:
            end = next((j for j in range(i + 1, len(lines)) if _closes(lines[j], opening.group(1))), len(lines))
            yield Block('code', 0, '\n'.join(lines[i + 1:end]))
            i = end
        elif heading: yield Block('heading', len(heading.group(1)), heading.group(2))
        else: yield Block('gap' if DECORATION.match(lines[i]) else 'text', 0, lines[i].strip())
        i += 1

def _closes(line: str, ticks: str) -> bool:
    return re.fullmatch(rf' {{0,3}}{re.escape(ticks[0])}{{{len(ticks)},}}[ \t]*', line) is not None

def _entries_marked(found: list) -> list:
    "An h3 or h4 followed by a fence in the same markdown part is a show_doc entry"
    def entry(i, b): return b.kind == 'heading' and b.level in (3, 4) and _kind(found, i + 1) == 'code'
    return [b._replace(kind='entry') if entry(i, b) else b for i, b in enumerate(found)]

def _kind(found: list, i: int):
    "The kind of the i-th block, None past the end"
    return found[i].kind if i < len(found) else None

def blocks(parts: list) -> list:
    "A page as the reader meets it: its markdown parts (cells, visible code, outputs) as blocks, in order"
    return [b for part in parts
            for b in ([Block('code', 0, part)] if CELL_FENCE.match(part) else markdown_blocks(part))]

def entries(parts: list) -> list:
    "The show_doc entries of a page: an h3 or h4 followed by its signature in a python fence"
    return [Entry(len(m.group(1)), m.group(2).strip('`'), m.group(4), m.group(5))
            for part in parts if not CELL_FENCE.match(part) for m in ENTRY.finditer(part)]

class Anchors(HTMLParser):
    "Ids, links and headings of one page, and the words of its <main>"
    INLINE = {'a', 'code', 'em', 'strong', 'span', 'b', 'i', 'sup', 'sub', 'kbd', 'small'}
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.headings, self._heading = [], [], [], None
        self.text, self._main, self._skip = [], False, 0
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if 'id' in attrs: self.ids.append(attrs['id'])
        if tag == 'a' and attrs.get('href'): self.links.append(attrs['href'])
        if re.fullmatch(r'h[1-6]', tag): self._heading = ''
        self._main = self._main or tag == 'main'
        self._skip += tag in ('nav', 'script', 'style')
        if tag not in self.INLINE: self.text.append(' ')
    def handle_endtag(self, tag):
        if re.fullmatch(r'h[1-6]', tag) and self._heading is not None:
            self.headings.append(self._heading.strip())
            self._heading = None
        self._main = self._main and tag != 'main'
        self._skip -= tag in ('nav', 'script', 'style') and self._skip > 0
        if tag not in self.INLINE: self.text.append(' ')
    def handle_data(self, data):
        if self._heading is not None: self._heading += data
        if self._main and not self._skip: self.text.append(data)

def parse(page_html: str) -> Anchors:
    parser = Anchors()
    parser.feed(page_html)
    return parser

# --- the rules: each takes a page's parts, entries, HTML or links, and returns its problems (or its count) ---

ASSERTION = re.compile(r'^\s*assert\b|(?<!\w)(test_(eq|ne|fail|is|close|warns)|raises)\(')

def visible_test_lines(parts: list) -> list:
    "The lines of the code cells a reader sees that are test assertions (`assert`, `test_eq(`, `pytest.raises(`...)"
    return [line.strip() for part in parts if (cell := CELL_FENCE.match(part)) for line in cell.group(3).splitlines()
            if ASSERTION.search(line) and not re.match(r'\s*(#|def\s)', line)]

def empty_headings(parts: list) -> list:
    "Headings (## to ####) followed only by a heading (or entry) of the same or a higher level, or by the end"
    found = blocks(parts)
    def empty(i, b):
        following = found[i + 1] if i + 1 < len(found) else None
        return following is None or following.kind in ('heading', 'entry') and following.level <= b.level
    return [f'the heading "{b.text}" is empty: followed by {_describe(found[i + 1:i + 2])}'
            for i, b in enumerate(found) if b.kind == 'heading' and 2 <= b.level <= 4 and empty(i, b)]

def dangling_colons(parts: list) -> list:
    "Paragraphs ending in ':' followed by a heading or by nothing: what they introduced is hidden (an entry is shown)"
    found = blocks(parts)
    def dangling(i, b): return b.text.endswith(':') and _kind(found, i + 1) in (None, 'heading')
    return [f'"{_tail(b.text)}" ends in ":" and is followed by {_describe(found[i + 1:i + 2])}'
            for i, b in enumerate(found) if b.kind == 'text' and dangling(i, b)]

def _describe(following: list) -> str:
    return f'the heading "{following[0].text}"' if following else 'the end of the page'

def _tail(text: str, width: int = 60) -> str:
    return text if len(text) <= width else '…' + text[-width:]

def is_private(name: str) -> bool:
    "`_name` is private, a dunder (`__init__`) is not"
    return name.startswith('_') and not (name.startswith('__') and name.endswith('__') and len(name) > 4)

def entry_problems(entry: Entry) -> list:
    "A private name in an entry's heading or signature, or `__main__.` in its signature or table"
    problems = [f'the entry "{entry.name}" is a private name'] if any(map(is_private, entry.name.split('.'))) else []
    if '__main__.' in entry.signature + entry.rest: problems.append(f'the entry "{entry.name}" says "__main__."')
    own = set(entry.name.split('.'))  # the entry's own name, in its `def`: said once, by the heading's problem
    private = sorted({n for n in re.findall(r'(?<!\w)_\w+', entry.signature) if is_private(n) and n not in own})
    if private: problems.append(f'the entry "{entry.name}" has private names in its signature: {", ".join(private)}')
    return problems

def link_problems(page: str, links: list, ids: dict, host: str) -> list:
    "Links to a missing page or anchor, to the site's own host (absolute), or to a private name's anchor"
    return [f'link to {link}' + (f' ({times} times)' if times > 1 else '') + f': {problem}'
            for link, times in Counter(links).items() for problem in _link_problems(page, link, ids, host)]

def _link_problems(page: str, link: str, ids: dict, host: str) -> list:
    "What is wrong with one link: `ids` are each page's anchors, `host` the published site's (example.github.io)"
    if host and urlsplit(link).netloc == host: return ['absolute, to the site itself']
    if re.match(r'[a-z]+:|//', link): return []  # elsewhere
    target, _, anchor = link.partition('#')
    target = target or page
    found = ['no such page'] if target not in ids else []
    found += ['no such anchor'] if target in ids and anchor and anchor not in ids[target] else []
    return found + (['a private name'] if anchor and is_private(anchor.split('.')[-1]) else [])

def words(parser: Anchors) -> int:
    "The words a reader reads in the page's <main>: prose, code and outputs (the sidebar is not in <main>)"
    return len(''.join(parser.text).split())

def too_long(count: int) -> list:
    return [f'{count:,} words (at most {MAX_WORDS:,}): split the page'] if count > MAX_WORDS else []

# --- the check ---

def public_symbols() -> dict:
    "Every public function, class and method nbdev indexed: name → ('page.html#anchor', module)"
    spec = {}
    exec((Path(nbdev_config().lib_path) / '_modidx.py').read_text(), spec)
    found = {}
    for module, syms in spec['d']['syms'].items():
        for name, (link, _) in syms.items():
            parts = name.split('.')[1:]
            if any(p.startswith('_') for p in parts[1:]): continue
            found[name] = (link, module)
    return found

def overridden(module: str, name: str) -> list:
    "(base method's full name, its docstring) for each base class `name` (module.Class.method) overrides, nearest first"
    cls_name, _, method = name[len(module) + 1:].rpartition('.')
    if not cls_name or '.' in cls_name: return []
    try: cls = getattr(importlib.import_module(module), cls_name)
    except Exception: return []
    if not inspect.isclass(cls): return []
    return [(f'{base.__module__}.{base.__qualname__}.{method}', inspect.getdoc(vars(base)[method]))
            for base in cls.__mro__[1:] if method in vars(base)]

def interface_problems(symbols: dict, has_entry) -> list:
    "A public name without an entry (an override is covered by its base's entry), and an override's entry that only repeats it"
    problems = []
    for name, (link, module) in symbols.items():
        documented = [(base, doc) for base, doc in overridden(module, name) if base in symbols and has_entry(base)]
        if not has_entry(name):
            if not documented: problems.append(f'{name}: no entry ({link})')
            continue
        if documented and documented[0][1] == _own_doc(module, name):
            problems.append(f'{name}: its entry repeats {documented[0][0]} (an interface is documented once: '
                            'leave out an implementation that adds nothing, or say what differs in its docstring)')
    return problems

def _own_doc(module: str, name: str):
    cls_name, _, method = name[len(module) + 1:].rpartition('.')
    try: return inspect.getdoc(vars(getattr(importlib.import_module(module), cls_name))[method])
    except Exception: return None

def site_problems(parsed: dict) -> list:
    "Links, anchors defined twice, headings ending in ' -', public names without an entry"
    problems, ids, host = [], {name: set(p.ids) for name, p in parsed.items()}, urlsplit(site_url()).netloc
    for name, parser in parsed.items():
        for anchor in {i for i in parser.ids if parser.ids.count(i) > 1}:
            times = parser.ids.count(anchor)
            problems.append(f'{name}: the anchor #{anchor} is defined {times} times (a duplicate entry?)')
        problems += [f'{name}: {p}' for p in link_problems(name, parser.links, ids, host)]
        problems += [f'{name}: heading "{h}" ends in " -"' for h in parser.headings if h.endswith('-')]
    symbols = public_symbols()
    def has_entry(symbol: str) -> bool:
        target, _, anchor = symbols[symbol][0].partition('#')
        return target in parsed and anchor in parsed[target].ids
    return problems + interface_problems(symbols, has_entry)

def text_problems(pages: dict) -> list:
    "Files named that are not in the repository, and jargon"
    problems = []
    tracked = set(run('git', 'ls-files', capture_output=True).stdout.split())
    names = {Path(t).name for t in tracked} | tracked
    for page in pages.values():
        text = page.markdown()
        for ref in set(re.findall(r'(?<![\w/.:-])([\w./-]+\.(?:md|txt|ipynb|yml|yaml|toml|cfg))\b', text)):
            users = Path(ref).name in USER_FILES  # a file the library reads from the user's folders, not the repo's
            known = ref in names or ref.lstrip('./') in names
            if not known and not ref.startswith(('http', 'www.')) and not users:
                problems.append(f'{page.output_file}: names the file {ref}, which is not in the repository')
        for word in set(re.findall(JARGON, text, re.IGNORECASE)):
            problems.append(f'{page.output_file}: says "{" ".join(word.split())}" (jargon a reader cannot know)')
    return problems

def live_outputs() -> list:
    problems = []
    for path in sorted(NBS.glob('*.ipynb')):
        for i, cell in enumerate(json.loads(path.read_text())['cells']):
            if cell['cell_type'] == 'code' and 'live' in directives(''.join(cell['source'])) and cell.get('outputs'):
                problems.append(f'{path.name}: cell {i} is a live cell with committed output')
    return problems

def page_problems(page: Page, parser: Anchors) -> list:
    "The rules of one page's own content: test lines, empty headings, dangling colons, entries, length"
    found = [f'visible test line "{line}"' for line in visible_test_lines(page.parts)]
    found += empty_headings(page.parts) + dangling_colons(page.parts)
    found += [p for entry in entries(page.parts) for p in entry_problems(entry)] + too_long(words(parser))
    return [f'{page.output_file}: {p}' for p in found]

def summary(pages: dict, parsed: dict) -> list:
    "The table of pages: outputs, words, entries, visible test lines; a problem when too few code cells show output"
    seen, shown = sum(p.code_cells for p in pages.values()), sum(p.with_output for p in pages.values())
    share = shown / seen if seen else 1.0
    print(f'{shown} of {seen} code cells a reader sees show an output '
          f'({share:.0%}; at least {OUTPUT_TARGET:.0%} needed)')
    print(f'  {"page":24} {"outputs":>10} {"words":>7} {"entries":>7} {"test lines":>10}')
    for page in pages.values():
        tests, count = len(visible_test_lines(page.parts)), words(parsed[page.output_file])
        print(f'  {page.output_file:24} {page.with_output:3} of {page.code_cells:3}'
              f' {count:7,} {len(entries(page.parts)):7} {tests:10}')
    total = sum(words(p) for p in parsed.values())
    print(f'  {"total":24} {"":10} {total:7,} {sum(len(entries(p.parts)) for p in pages.values()):7}'
          f' {sum(len(visible_test_lines(p.parts)) for p in pages.values()):10}')
    return [f'only {share:.0%} of the code cells a reader sees show an output'] if share < OUTPUT_TARGET else []

def raw_markup(page_html: str) -> list:
    "Backticks shown as they are in the page's title or description (markdown the template did not render)"
    head = re.search(r'<header>(.*?)</header>', page_html, re.S)
    return ['its title or description shows raw backticks'] if head and '`' in head.group(1) else []

def check(pages: dict) -> list:
    texts = {page.output_file: (SITE / page.output_file).read_text() for page in pages.values()}
    parsed = {name: parse(text) for name, text in texts.items()}
    problems = site_problems(parsed) + text_problems(pages) + live_outputs()
    problems += [f'{name}: {p}' for name, text in texts.items() for p in raw_markup(text)]
    for page in pages.values(): problems += page_problems(page, parsed[page.output_file])
    return problems + summary(pages, parsed)

if __name__ == '__main__':
    pages = build()
    if '--check' in sys.argv[1:]:
        problems = check(pages)
        for p in problems: print('docs check:', p)
        if problems: sys.exit(f'docs check: {len(problems)} problems')
        print('docs check: passed')
