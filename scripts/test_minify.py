"""Tests of scripts/minify.py (run by `./test.sh package`: python3 -m unittest discover -s scripts)."""

import os
import tempfile
import unittest

import minify
import wasm_binary

FUNC_TYPE = b"\x01\x04\x01\x60\x00\x00"  # type section: one function type () -> ()
CODE_SECTION = b"\x0a\x04\x01\x02\x00\x0b"  # one body: no locals, end


def name(text: bytes):
    return wasm_binary.put_leb(len(text)) + text


def module(imports):
    """A wasm module importing `imports` ((module, field) pairs, all functions of type 0), a
    memory import "env"."mem", and one function of its own."""
    entries = b"".join(name(m) + name(f) + b"\x00\x00" for m, f in imports)
    entries += name(b"env") + name(b"mem") + b"\x02\x00\x01"
    body = wasm_binary.put_leb(len(imports) + 1) + entries
    section = b"\x02" + wasm_binary.put_leb(len(body)) + body
    func = b"\x03\x02\x01\x00"
    return b"\0asm\x01\0\0\0" + FUNC_TYPE + section + func + CODE_SECTION


LONG = [
    (b"./app_bg.js", b"__wbg_call_5b446f51afd21013"),
    (b"./app_bg.js", b"__wbg_call_5b446f51afd21013_x"),
    (b"./app_bg.js", b"__wbindgen_cast_0000000000000001"),
]
GLUE = """function imports() {
    const import0 = {
        __proto__: null,
        __wbg_call_5b446f51afd21013: function(a) { return a(); },
        __wbg_call_5b446f51afd21013_x: function(b) { return b; },
        __wbindgen_cast_0000000000000001: function(arg0) { return arg0; },
    };
    return { "./app_bg.js": import0 };
}
const note = "__wbg_call_5b446f51afd21013 is called through import0";
"""


class ShortenImports(unittest.TestCase):
    def test_every_import_gets_the_same_short_name_in_both_files(self):
        wasm, glue = minify.shorten_imports(module(LONG), GLUE)
        fields = minify.import_fields(wasm)
        self.assertEqual(len(fields), 4)
        # Not from the glue's module: kept as it is.
        self.assertEqual(fields[3], (b"env", b"mem"))
        short = [f.decode() for m, f in fields[:3]]
        self.assertTrue(all(len(s) <= 2 for s in short), short)
        self.assertEqual(len(set(short)), 3)
        for s in short:
            self.assertIn(f"        {s}: function", glue)
        self.assertNotIn("__wbg", glue)
        self.assertNotIn("__wbindgen_cast", glue)
        self.assertIn("__proto__: null", glue)
        # The longer name sharing a prefix is its own name, not the shorter one plus "_x".
        self.assertNotIn("_x", glue)

    def test_short_names_skip_words_the_glue_uses(self):
        wasm, _ = minify.shorten_imports(module(LONG), GLUE)
        short = {f.decode() for _m, f in minify.import_fields(wasm)}
        self.assertFalse(short & {"a", "b"}, short)

    def test_only_the_import_section_changes(self):
        before = module(LONG)
        after, _ = minify.shorten_imports(before, GLUE)
        kept = lambda data: [data[h:e] for sid, h, _s, e in wasm_binary.sections(data) if sid != 2]
        self.assertEqual(kept(before), kept(after))
        self.assertLess(len(after), len(before))
        self.assertEqual(minify.rename_imports(before, lambda _m, _f: None), before)

    def test_a_glue_without_an_import_name_is_refused(self):
        glue = GLUE.replace("__wbindgen_cast_0000000000000001: function(arg0) { return arg0; },", "")
        with self.assertRaises(ValueError):
            minify.shorten_imports(module(LONG), glue)

    def test_not_a_module_or_an_unknown_import_kind_is_refused(self):
        with self.assertRaises(ValueError):
            minify.import_fields(b"PK\x03\x04")
        odd = module(LONG).replace(b"mem\x02\x00\x01", b"mem\x09\x00\x01")
        with self.assertRaises(ValueError):
            minify.import_fields(odd)

    def test_leb_round_trip(self):
        for value in (0, 1, 127, 128, 300, 16_384, 2**32 - 1):
            encoded = wasm_binary.put_leb(value)
            self.assertEqual(wasm_binary.leb(encoded, 0), (value, len(encoded)))


class FixIntegrity(unittest.TestCase):
    def test_each_tag_gets_the_hash_of_its_file(self):
        with tempfile.TemporaryDirectory() as dist:
            for file, text in (("app.js", b"export default 1;"), ("style.css", b"a{b:c}")):
                with open(os.path.join(dist, file), "wb") as fh:
                    fh.write(text)
            html = (
                '<link rel="stylesheet" href="./style.css" integrity="sha384-AAAA"/>'
                '<link rel="modulepreload" href="./app.js" crossorigin="anonymous" '
                'integrity="sha384-BBBB"><script src="//api.bitrix24.com/api/v1/"></script>'
            )
            with open(os.path.join(dist, "index.html"), "w", encoding="utf-8") as fh:
                fh.write(html)
            minify.fix_integrity(dist)
            with open(os.path.join(dist, "index.html"), encoding="utf-8") as fh:
                out = fh.read()
        self.assertIn(f'href="./style.css" integrity="{minify.sri(b"a{b:c}")}"', out)
        self.assertIn(f'crossorigin="anonymous" integrity="{minify.sri(b"export default 1;")}"', out)
        self.assertIn('<script src="//api.bitrix24.com/api/v1/"></script>', out)
        self.assertNotIn("AAAA", out)


if __name__ == "__main__":
    unittest.main()
