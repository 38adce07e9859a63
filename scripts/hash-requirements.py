#!/usr/bin/env python3
"""Rewrites a requirement file with sha256 hashes for scripts/env.sh's --require-hashes installs.

    python3.11 scripts/hash-requirements.py requirements.txt
    python3.10 scripts/hash-requirements.py requirements-bot.txt

Run it with the file's Python version after changing a pin (lines `pkg==ver`; old hashes are dropped).
It resolves the pins with pip 24.0 and this machine's pip config in a throwaway venv (every dependency
must already be pinned, else it stops and names it), then lists, for each pin, the sha256 of every file
pip could pick here: wheels of that exact version that fit this interpreter from the local indexes
(/opt/pypi/simple, /opt/pypi-more/simple), the find-links dir /opt/wheels and PyPI, or the sdist when
no wheel fits (pip always prefers a fitting wheel). Comment lines at the top are kept."""
import hashlib, html, json, os, re, subprocess, sys, tempfile, urllib.request

LOCAL = ['/opt/pypi/simple', '/opt/pypi-more/simple']
FINDLINKS = '/opt/wheels'


def read_pins(path):
    text = open(path).read().replace('\\\n', ' ')
    header, pins = [], []
    for line in text.splitlines():
        if line.startswith('#') and not pins:
            header.append(line)
        elif line.strip() and not line.lstrip().startswith('#'):
            pins.append(line.split()[0])
    return header, pins


def main():
    req = sys.argv[1]
    header, pins = read_pins(req)
    with tempfile.TemporaryDirectory() as tmp:
        venv = os.path.join(tmp, 'venv')
        py = os.path.join(venv, 'bin', 'python')
        subprocess.run([sys.executable, '-m', 'venv', venv], check=True)
        subprocess.run([py, '-m', 'pip', 'install', '-q', '--upgrade', 'pip==24.0'], check=True)
        bare, report = os.path.join(tmp, 'pins.txt'), os.path.join(tmp, 'report.json')
        open(bare, 'w').write('\n'.join(pins) + '\n')
        subprocess.run([py, '-m', 'pip', 'install', '-q', '--dry-run', '--ignore-installed',
                        '--report', report, '-r', bare], check=True)
        subprocess.run([py, __file__, '--inner', req, report], check=True)


# ---- runs inside the throwaway venv (pip 24.0's own tag and filename logic) ----
def inner(req, report):
    from pip._internal.utils.compatibility_tags import get_supported
    from pip._vendor.packaging.utils import (canonicalize_name, parse_sdist_filename,
                                             parse_wheel_filename)
    from pip._vendor.packaging.version import Version
    supported = set(get_supported())

    def parse(fn):
        try:
            if fn.endswith('.whl'):
                n, v, _, tags = parse_wheel_filename(fn)
                return n, v, tags
            n, v = parse_sdist_filename(fn)
            return n, v, None
        except Exception:
            return None

    def sha(path):
        h = hashlib.sha256()
        with open(path, 'rb') as f:
            for b in iter(lambda: f.read(1 << 20), b''):
                h.update(b)
        return h.hexdigest()

    def candidates(cn, V):
        found = []  # (filename, sha256)
        for root in LOCAL:
            idx = os.path.join(root, cn, 'index.html')
            if os.path.exists(idx):
                for href, fn in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', open(idx).read()):
                    p = parse(fn)
                    if p and p[0] == cn and p[1] == V:
                        href = html.unescape(href).split('#')[0]
                        found.append((fn, sha(os.path.normpath(os.path.join(root, cn, href)))))
        if os.path.isdir(FINDLINKS):
            for fn in os.listdir(FINDLINKS):
                p = parse(fn)
                if p and p[0] == cn and p[1] == V:
                    found.append((fn, sha(os.path.join(FINDLINKS, fn))))
        r = urllib.request.Request(f'https://pypi.org/simple/{cn}/',
                                   headers={'Accept': 'application/vnd.pypi.simple.v1+json'})
        try:
            with urllib.request.urlopen(r, timeout=120) as resp:
                files = json.load(resp)['files']
        except urllib.error.HTTPError as e:
            if e.code != 404:
                raise
            files = []
        for f in files:
            p = parse(f['filename'])
            if p and p[0] == cn and p[1] == V and not f.get('yanked'):
                found.append((f['filename'], f['hashes']['sha256']))
        wheels = [h for fn, h in found if fn.endswith('.whl') and parse(fn)[2] & supported]
        return sorted(set(wheels or [h for fn, h in found if not fn.endswith('.whl')]))

    picked = {}
    for it in json.load(open(report))['install']:
        md, info = it['metadata'], it['download_info']
        picked[canonicalize_name(md['name'])] = info['archive_info']['hashes']['sha256']
    header, pins = read_pins(req)
    out = header[:]
    for pin in pins:
        name, ver = pin.split('==')
        cn = canonicalize_name(name)
        hashes = candidates(cn, Version(ver))
        if picked.get(cn) not in hashes:  # pip's own pick must be covered
            hashes = sorted(set(hashes) | {picked[cn]})
        out.append(f'{pin} \\')
        out += [f'    --hash=sha256:{h}' + (' \\' if i < len(hashes) - 1 else '')
                for i, h in enumerate(hashes)]
    missing = set(picked) - {canonicalize_name(p.split('==')[0]) for p in pins}
    if missing:
        sys.exit(f'{req}: pin these too (pip installs them): {", ".join(sorted(missing))}')
    open(req, 'w').write('\n'.join(out) + '\n')
    print(f'{req}: {len(pins)} pins hashed')


if __name__ == '__main__':
    if sys.argv[1] == '--inner':
        inner(*sys.argv[2:4])
    else:
        main()
