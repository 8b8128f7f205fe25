#!/usr/bin/env python3
"""Edit one figure in a PDF that cunji made, as a forger would.

    edit_pdf.py IN OUT OLD NEW     replace the text OLD by NEW (first place shown)

libharu writes text as hex strings of UTF-16BE code units (its UTF-8 encoder,
Identity-H) in Flate-compressed content streams whose /Length is an indirect
object.  The stream is inflated, the string replaced, deflated again, its
length object rewritten and the cross-reference table rebuilt, so that the
file stays a valid PDF that any reader shows with the new figure.
Exit 1 when OLD is not found.
"""
import re
import sys
import zlib


def hexs(text):
    return text.encode('utf-16-be').hex().upper().encode()


def main():
    src, dst, old, new = sys.argv[1:5]
    data = open(src, 'rb').read()
    old_h, new_h = hexs(old), hexs(new)
    for m in re.finditer(rb'<<([^<>]*)>>\s*stream\r?\n', data):
        length = re.search(rb'/Length (\d+) 0 R', m.group(1))
        if not length:
            continue
        start = m.end()
        end = data.index(b'endstream', start)
        raw = data[start:end].rstrip(b'\r\n')
        try:
            body = zlib.decompress(raw)
        except zlib.error:
            continue
        if old_h not in body:
            continue
        packed = zlib.compress(body.replace(old_h, new_h, 1))
        data = data[:start] + packed + b'\n' + data[start + len(raw):]
        obj = int(length.group(1))
        data = re.sub(rb'(\n%d 0 obj\s*)\d+' % obj, rb'\g<1>%d' % len(packed), data, count=1)
        break
    else:
        sys.exit('%s: "%s" is not shown in any content stream' % (src, old))
    # the cross-reference table, rebuilt from where each object now starts
    xref = data.rindex(b'\nxref')
    offsets = {int(m.group(1)): m.start() + 1 for m in re.finditer(rb'\n(\d+) 0 obj', data[:xref])}
    size = max(offsets) + 1
    table = [b'xref\n0 %d\n0000000000 65535 f\r\n' % size]
    table += [b'%010d 00000 n\r\n' % offsets.get(i, 0) for i in range(1, size)]
    trailer = data[data.index(b'trailer', xref):data.index(b'startxref', xref)]
    out = data[:xref + 1] + b''.join(table) + trailer + b'startxref\n%d\n%%%%EOF\n' % (xref + 1)
    open(dst, 'wb').write(out)


main()
