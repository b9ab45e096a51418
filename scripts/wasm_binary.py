"""LEB128 integers of the wasm binary format, for scripts/minify.py and scripts/wasm_size.py."""


def leb(data, pos):
    """Reads an unsigned LEB128 at `pos`: (value, next position)."""
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def put_leb(value):
    """An unsigned LEB128."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def sections(data):
    """(id, start of the section's header, start of its bytes, end) of each section of a
    wasm module; ValueError for anything else."""
    if data[:4] != b"\0asm":
        raise ValueError("not a wasm module")
    pos = 8
    while pos < len(data):
        sid = data[pos]
        size, start = leb(data, pos + 1)
        yield sid, pos, start, start + size
        pos = start + size


def imports(body):
    """Each entry of an import section's bytes: (module, field, kind, the entry's description
    bytes, kind included). ValueError for an unknown kind or bytes left over."""
    count, pos = leb(body, 0)
    for _ in range(count):
        n, pos = leb(body, pos)
        module = body[pos:pos + n]
        pos += n
        n, pos = leb(body, pos)
        field = body[pos:pos + n]
        pos += n
        desc_start = pos
        kind = body[pos]
        pos += 1
        if kind == 0:  # function: type index
            _, pos = leb(body, pos)
        elif kind in (1, 2):  # table (element type, then limits), memory (limits)
            pos += kind == 1
            flags, pos = leb(body, pos)
            _, pos = leb(body, pos)
            if flags & 1:
                _, pos = leb(body, pos)
        elif kind == 3:  # global: value type, mutability
            pos += 2
        elif kind == 4:  # tag: attribute, type index
            _, pos = leb(body, pos + 1)
        else:
            raise ValueError(f"unknown import kind {kind}")
        yield module, field, kind, body[desc_start:pos]
    if pos != len(body):
        raise ValueError("import section longer than its entries")
