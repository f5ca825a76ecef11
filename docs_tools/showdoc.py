"""The renderer behind every reference entry on this site: the signature, the docstring, and a Type | Default | Details
table, the shape of the Auth Routes' own page. A class that takes its base's constructor as it is says so instead of
repeating the table. Kept by hand (it renders the docs; it is not part of the package)."""

# %% ../nbs/99_showdoc.ipynb #d50ccb75
from __future__ import annotations
import enum, inspect, re
from dataclasses import is_dataclass
from fastcore.docments import MarkdownRenderer, docments

_empty = inspect.Parameter.empty

def type_text(annotation, # an annotation, or a string one (`from __future__ import annotations`)
             ) -> str:
    "An annotation as a reader writes it: `Optional[httpx.AsyncClient]`, not `typing.Optional[...]`"
    if annotation is _empty: return ''
    text = annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)
    text = re.sub(r"ForwardRef\('([^']*)'\)", r'\1', text)  # a NamedTuple's fields, as the class declares them
    return re.sub(r'(\b(typing|domo_routes\.\w+)|__main__)\.', '', text)  # __main__: the notebook being rendered

def default_text(value, # a parameter's default
                ) -> str:
    "A default as code: the name of a class or function, the repr of anything else, never a memory address"
    if value is _empty: return ''
    text = value.__name__ if inspect.isclass(value) or inspect.isroutine(value) else repr(value)
    return re.sub(r'<(?:function|bound method) ([\w.]+)[^>]* at 0x[0-9a-f]+>', r'\1', text)

# %% auto #0
__all__ = ['type_text', 'default_text', 'TableRenderer']

# %% ../nbs/99_showdoc.ipynb #0e8e1937
def _cell(text) -> str: return str(text).replace('|', '\\|').replace('\n', '<br>')

class TableRenderer(MarkdownRenderer):
    "A `show_doc` entry as the original Auth Routes page showed one: signature, docstring, Type | Default | Details"
    def __init__(self, sym, # the function, class, method or property to document
                 name: str | None = None, # the name shown (default: its qualified name)
                 title_level: int = 3, # heading level of the entry
                 **kwargs):
        self.is_property = isinstance(sym, property)
        super().__init__(sym, name=name, title_level=title_level, **kwargs)
        self.returns = _empty

    def parameters(self) -> list:
        "The parameters a caller passes (`self` and `cls` left out); records the return annotation"
        for eval_str in (True, False):
            try: sig = inspect.signature(self.sym, eval_str=eval_str); break
            except Exception: sig = None
        if sig is None: return []
        self.returns = sig.return_annotation
        return [p for p in sig.parameters.values() if p.name not in ('self', 'cls')]

    def notes(self) -> dict:
        "The docments comments of the parameters and the return value"
        for target in (self.sym, getattr(self.sym, '__init__', None)):
            for eval_str in (True, False):
                try: return docments(target, full=True, eval_str=eval_str)
                except Exception: pass
        return {}

    def signature(self, params: list, # from `parameters()`
                 ) -> str:
        "The entry's code: `class X(Base):` and its `__init__`, an enum's header, a property, or a wrapped `def`"
        sym, name = self.sym, self.nm.split('.')[-1]
        if inspect.isclass(sym):
            bases = _public_bases(sym)
            head = f'class {sym.__name__}' + (f'({", ".join(bases)})' if bases else '') + ':'
            if issubclass(sym, enum.Enum) or getattr(sym, '_is_protocol', False): return head  # an interface: no constructor
            return head + '\n' + _wrapped_call('def __init__', ['self', *_parameter_texts(params)], indent='    ')
        tail = '' if self.returns is _empty else f' -> {type_text(self.returns)}'
        if self.is_property: return f'@property\ndef {name}(self){tail}'
        prefix = 'async def' if inspect.iscoroutinefunction(sym) else 'def'
        return _wrapped_call(f'{prefix} {name}', _parameter_texts(params), tail)

    def table(self, params: list, # from `parameters()`
             ) -> str:
        "Type | Default | Details for each parameter and the return value, or Member | Value for an enum"
        sym = self.sym
        if inspect.isclass(sym) and issubclass(sym, enum.Enum):
            return '| Member | Value |\n|---|---|\n' + '\n'.join(f'| `{m.name}` | `{m.value!r}` |' for m in sym)
        if self.is_property or not params: return ''
        notes = self.notes()
        rows = ['|  | **Type** | **Default** | **Details** |', '|---|---|---|---|']
        for p in params:
            note = (notes.get(p.name) or {}).get('docment') or ''
            rows.append(f'| {_cell(p.name)} | {_cell(type_text(p.annotation))} | {_cell(default_text(p.default))} | {_cell(note)} |')
        if all(row.endswith('|  |  |  |') for row in rows[2:]): rows = rows[:2]  # nothing to say about the parameters
        returns_note = (notes.get('return') or {}).get('docment') or ''
        if not inspect.isclass(sym) and (self.returns not in (_empty, None, 'None') or returns_note):
            rows.append(f'| **Returns** | **{_cell(type_text(self.returns))}** |  | {_cell(returns_note)} |')
        return '\n'.join(rows) if len(rows) > 2 else ''

    def _repr_markdown_(self) -> str:
        params = [] if inspect.isclass(self.sym) and issubclass(self.sym, enum.Enum) else self.parameters()
        doc = '---\n\n'
        try:
            from nbdev.doclinks import NbdevLookup  # building the docs: nbdev is there, and knows where the source is
            source = NbdevLookup().code(self.fn)
        except Exception: source = None
        if source: doc += f'[source]({source}){{target="_blank" style="float:right; font-size:smaller"}}\n\n'
        doc += f'{"#" * self.title_level} {self.nm}\n\n```python\n{self.signature(params)}\n```\n'
        if self.docs: doc += f'\n{self.docs}\n'
        base = _init_from(self.sym)
        if base is not None: return doc + f'\nIts arguments are those of `{base}`.\n'  # one table per constructor
        table = self.table(params)
        return doc + (f'\n{table}\n' if table else '')

# %% ../nbs/99_showdoc.ipynb #e7ee66db
def _parameter_texts(params) -> list:
    texts, star, previous = [], False, None
    for p in params:
        if previous == p.POSITIONAL_ONLY and p.kind != previous: texts.append('/')
        if p.kind == p.KEYWORD_ONLY and not star: texts.append('*'); star = True
        if p.kind == p.VAR_POSITIONAL: star = True
        text = ('*' if p.kind == p.VAR_POSITIONAL else '**' if p.kind == p.VAR_KEYWORD else '') + p.name
        if p.annotation is not _empty: text += f': {type_text(p.annotation)}'
        if p.default is not _empty: text += (' = ' if p.annotation is not _empty else '=') + default_text(p.default)
        texts.append(text); previous = p.kind
    if previous == inspect.Parameter.POSITIONAL_ONLY: texts.append('/')
    return texts

def _wrapped_call(head: str, texts: list, tail: str = '', indent: str = '', width: int = 100) -> str:
    lines, line, pad = [], f'{indent}{head}(', ' ' * (len(indent) + len(head) + 1)
    for i, text in enumerate(texts):
        text += ', ' if i < len(texts) - 1 else ')' + tail  # the last one carries the closing parenthesis and the return type
        if len(line) + len(text.rstrip()) > width and not line.endswith('('): lines.append(line.rstrip()); line = pad
        line += text
    return '\n'.join(lines + [line if texts else line + ')' + tail])

def _init_from(sym):
    "The public class of this library whose constructor `sym` (a class) takes as it is, or None"
    if not inspect.isclass(sym) or issubclass(sym, enum.Enum) or '__init__' in vars(sym): return None
    owner = next((c for c in sym.__mro__[1:] if '__init__' in vars(c)), object)
    ours = owner.__module__.split('.')[0] in ('__main__', 'domo_routes') and not owner.__name__.startswith('_')
    return owner.__name__ if ours and not is_dataclass(sym) else None

def _public_bases(cls) -> list:
    "Each base, or the first public class it derives from when the base itself is private"
    found = [next(c for c in base.__mro__ if not c.__name__.startswith('_')) for base in cls.__bases__]
    ours = lambda b: b.__module__.split('.')[0] in ('builtins', '__main__', 'domo_routes')  # __main__: a notebook being rendered
    return [b.__name__ if ours(b) else f'{b.__module__.split(".")[0]}.{b.__name__}' for b in dict.fromkeys(found) if b is not object]

# %% ../nbs/99_showdoc.ipynb #810343ae

