"""Extract the name tables of ruff's Airflow 3 rules (AIR301, AIR302, AIR311, AIR312).

Parses the `match qualified_name.segments() { ... }` block of each rule's `check_name` /
`check_names_moved_to_provider` function (a small Rust-pattern subset: slice patterns,
string alternatives, `rest @ (...)`, `..`, nested `match *rest` / `match &rest`) and returns
one record per concrete dotted path.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

RUFF_MIRROR = Path(os.environ.get("RUFF_REPO", "/work/.mirror/astral-sh+ruff/repo"))
RULE_DIR = "crates/ruff_linter/src/rules/airflow/rules"
FALLBACK_DIR = Path(__file__).with_name("ruff")

RULE_FILES = {
    "AIR301": ("removal_in_3.rs", "check_name"),
    "AIR302": ("moved_to_provider_in_3.rs", "check_names_moved_to_provider"),
    "AIR311": ("suggested_to_update_3_0.rs", "check_name"),
    "AIR312": ("suggested_to_move_to_provider_in_3.rs", "check_names_moved_to_provider"),
}


def ruff_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "-C", str(RUFF_MIRROR), "rev-parse", "HEAD"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def read_rule_source(filename: str) -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(RUFF_MIRROR), "show", f"HEAD:{RULE_DIR}/{filename}"],
            check=True, capture_output=True, text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return (FALLBACK_DIR / filename).read_text()


# ---------------------------------------------------------------- tokenizer

TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>//[^\n]*)
  | (?P<str>"(?:\\.|\\\n|[^"\\])*")
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*!?)
  | (?P<punct>=>|\.\.|::|[@|\[\](){},*&.:;=<>!#?'-])
  | (?P<num>[0-9]+)
  | (?P<other>\S)
    """,
    re.VERBOSE,
)


def decode_str(lit: str) -> str:
    body = lit[1:-1]
    body = re.sub(r"\\\n\s*", "", body)  # Rust line continuation
    return body.replace('\\"', '"').replace("\\\\", "\\")


def tokenize(src: str) -> list[tuple[str, str]]:
    out = []
    pos = 0
    while pos < len(src):
        m = TOKEN_RE.match(src, pos)
        if not m:
            raise ValueError(f"cannot tokenize at {src[pos:pos + 40]!r}")
        pos = m.end()
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        text = m.group()
        if kind == "str":
            out.append(("str", decode_str(text)))
        else:
            out.append((kind, text))
    return out


# ---------------------------------------------------------------- parser

@dataclass
class Ctor:
    variant: str                     # e.g. "Replacement::Rename"
    fields: dict = field(default_factory=dict)
    arg: str | None = None           # Message("...")


class Parser:
    def __init__(self, toks):
        self.t = toks
        self.i = 0

    def peek(self, k=0):
        return self.t[self.i + k] if self.i + k < len(self.t) else (None, None)

    def next(self):
        tok = self.t[self.i]
        self.i += 1
        return tok

    def expect(self, text):
        tok = self.next()
        if tok[1] != text:
            raise ValueError(f"expected {text!r}, got {tok!r} near {self.t[self.i:self.i + 8]}")
        return tok

    def is_(self, text, k=0):
        return self.peek(k)[1] == text and self.peek(k)[0] != "str"

    # arms ------------------------------------------------------------
    def arms(self):
        self.expect("{")
        arms = []
        while not self.is_("}"):
            arms.append(self.arm())
        self.expect("}")
        return arms

    def arm(self):
        pats = [self.pattern()]
        while self.is_("|"):
            self.next()
            pats.append(self.pattern())
        self.expect("=>")
        body = self.body()
        if self.is_(","):
            self.next()
        return pats, body

    def pattern(self):
        kind, text = self.peek()
        if kind == "punct" and text == "[":
            self.next()
            elems = []
            while not self.is_("]"):
                elems.append(self.elem())
                if self.is_(","):
                    self.next()
            self.expect("]")
            return ("slice", elems)
        if kind == "str":
            self.next()
            return ("str", text)
        if kind == "ident":
            self.next()
            return ("bind", text)  # `_` or `segments`
        raise ValueError(f"bad pattern {self.peek()}")

    def elem(self):
        kind, text = self.peek()
        if kind == "str":
            alts = [self.next()[1]]
            while self.is_("|"):
                self.next()
                alts.append(self.next()[1])
            return ("alts", alts, None)
        if self.is_(".."):
            self.next()
            return ("many", None, None)
        if kind == "ident":
            name = self.next()[1]
            if not self.is_("@"):
                return ("one", None, name)
            self.next()
            if self.is_(".."):
                self.next()
                return ("many", None, name)
            if self.is_("("):
                self.next()
                alts = [self.next()[1]]
                while self.is_("|"):
                    self.next()
                    alts.append(self.next()[1])
                self.expect(")")
                return ("alts", alts, name)
            alts = [self.next()[1]]
            return ("alts", alts, name)
        raise ValueError(f"bad slice element {self.peek()}")

    # bodies ------------------------------------------------------------
    def body(self):
        kind, text = self.peek()
        if text == "return" and kind == "ident":
            self.next()
            return None
        if self.is_("{"):
            self.next()
            inner = self.body()
            if self.is_(";"):
                self.next()
            self.expect("}")
            return inner
        if text == "match" and kind == "ident":
            self.next()
            sigil = self.next()[1]
            var = self.next()[1]
            return ("match", sigil, var, self.arms())
        if kind == "ident":
            return self.ctor()
        raise ValueError(f"bad body {self.peek()} {self.t[self.i:self.i + 10]}")

    def ctor(self):
        parts = [self.next()[1]]
        while self.is_("::"):
            self.next()
            parts.append(self.next()[1])
        c = Ctor("::".join(parts))
        if self.is_("{"):
            self.next()
            while not self.is_("}"):
                name = self.next()[1]
                self.expect(":")
                c.fields[name] = self.value()
                if self.is_(","):
                    self.next()
            self.expect("}")
        elif self.is_("("):
            self.next()
            c.arg = self.value()
            if self.is_(","):
                self.next()
            self.expect(")")
        return c

    def value(self):
        kind, text = self.peek()
        if kind == "str":
            self.next()
            if self.is_("."):  # "x".to_string()
                self.next(); self.next(); self.expect("("); self.expect(")")
            return ("lit", text)
        if self.is_("("):  # (*rest).to_string()
            self.next(); self.expect("*")
            var = self.next()[1]
            self.expect(")"); self.expect("."); self.next(); self.expect("("); self.expect(")")
            return ("var", var)
        if kind == "ident" and text == "format!":
            self.next(); self.expect("(")
            fmt = self.next()[1]
            self.expect(")")
            return ("fmt", fmt)
        if kind == "ident":
            self.next()
            return ("lit", text)
        raise ValueError(f"bad value {self.peek()}")


def find_match_block(toks, fn_name):
    for i in range(len(toks) - 2):
        if toks[i] == ("ident", "fn") and toks[i + 1] == ("ident", fn_name):
            for j in range(i, len(toks) - 6):
                if (toks[j][1], toks[j + 1][1], toks[j + 2][1], toks[j + 3][1]) == (
                    "match", "qualified_name", ".", "segments"
                ):
                    return j + 6  # at "{"
    raise ValueError(f"no match block in {fn_name}")


# ---------------------------------------------------------------- expansion

def expand_slice(elems):
    """Yield (segments, bindings) where segments hold str, ('one', name) or ('many', name)."""
    choices = []
    for kind, alts, name in elems:
        if kind == "alts":
            choices.append([(a, name) for a in alts])
        elif kind == "one":
            choices.append([(("one", name), name)])
        else:
            choices.append([(("many", name), name)])
    for combo in itertools.product(*choices):
        segs, binds = [], {}
        for seg, name in combo:
            segs.append(seg)
            if name and isinstance(seg, str):
                binds[name] = seg
        yield segs, binds


def resolve_value(v, binds):
    if v is None:
        return None
    kind, x = v
    if kind == "lit":
        return x
    if kind == "var":
        return binds[x]
    if kind == "fmt":
        return re.sub(r"\{(\w+)\}", lambda m: binds[m.group(1)], x)
    raise ValueError(v)


def walk(pats_body, prefix_binds=None):
    """Yield (segments, bindings, ctor)."""
    pats, body = pats_body
    for pat in pats:
        if pat[0] != "slice":
            continue  # `_ => return`
        for segs, binds in expand_slice(pat[1]):
            yield from apply_body(segs, binds, body)


def apply_body(segs, binds, body):
    if body is None:
        return
    if isinstance(body, Ctor):
        yield segs, binds, body
        return
    _, sigil, var, arms = body
    for pats, inner in arms:
        for pat in pats:
            if pat[0] == "bind":
                continue
            if pat[0] == "str":  # match *rest { "X" => ... }
                new = [pat[1] if s == ("one", var) else s for s in segs]
                yield from apply_body(new, {**binds, var: pat[1]}, inner)
            elif pat[0] == "slice":  # match &rest { ["a", "b"] => ... }
                for sub, sub_binds in expand_slice(pat[1]):
                    new = []
                    for s in segs:
                        if s == ("many", var) or s == ("one", var):
                            new.extend(sub)
                        else:
                            new.append(s)
                    yield from apply_body(new, {**binds, **sub_binds}, inner)


@dataclass
class Entry:
    rule: str
    segments: list          # str or ("many", name) for a wildcard tail/middle
    variant: str            # ctor variant without the enum prefix
    module: str | None = None
    name: str | None = None
    provider: str | None = None
    version: str | None = None
    message: str | None = None

    @property
    def path(self):
        return ".".join(s if isinstance(s, str) else "*" for s in self.segments)

    @property
    def has_wildcard(self):
        return any(not isinstance(s, str) for s in self.segments)


def entries_for(rule: str) -> list[Entry]:
    filename, fn = RULE_FILES[rule]
    toks = tokenize(read_rule_source(filename))
    p = Parser(toks)
    p.i = find_match_block(toks, fn)
    out = []
    for arm in p.arms():
        for segs, binds, c in walk(arm):
            variant = c.variant.split("::")[-1]
            f = {k: resolve_value(v, binds) for k, v in c.fields.items()}
            e = Entry(rule, segs, variant)
            if variant == "Message":
                e.message = resolve_value(c.arg, binds)
            e.module = f.get("module")
            e.name = f.get("name")
            e.provider = f.get("provider")
            e.version = f.get("version")
            if "message" in f:
                e.message = f["message"]
            if e.module:
                e.module = e.module.strip()  # ruff has " airflow.providers..." once
            out.append(e)
    return out


def all_entries() -> list[Entry]:
    return [e for rule in RULE_FILES for e in entries_for(rule)]


if __name__ == "__main__":
    for e in all_entries():
        tgt = f"{e.module}.{e.name}" if e.module else ""
        print(e.rule, e.variant, e.path, "->", tgt, e.provider or "", e.version or "", e.message or "")
