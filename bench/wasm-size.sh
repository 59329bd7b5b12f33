#!/usr/bin/env bash
# Reports the size of the release WASM and JS bundle: raw, gzip -9 and brotli (quality 11),
# and what the server sends a browser that takes brotli: the `.br` copy the release build left
# beside each file (`--precompress`), or "none" (then the server compresses at level 4).
# Run after `make build` (or `make wasm-size`).
set -euo pipefail
cd "$(dirname "$0")/.."
# The current build's hashed file names are listed in hash.txt beside the server binary.
HASHES="${CARGO_TARGET_DIR:-target}/release/hash.txt"
HASHES="$HASHES" node -e '
const fs = require("fs"), zlib = require("zlib");
const dir = "target/site/pkg";
const hashes = Object.fromEntries(fs.readFileSync(process.env.HASHES, "utf8").trim().split("\n")
  .map(l => l.split(":").map(s => s.trim())));
let total = [0, 0, 0], served = 0, precompressed = true;
for (const f of ["js", "wasm", "css"].map(k => `linli.${hashes[k]}.${k}`)) {
  const b = fs.readFileSync(`${dir}/${f}`);
  const s = [b.length, zlib.gzipSync(b, { level: 9 }).length,
    zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length];
  s.forEach((v, i) => total[i] += v);
  const br = fs.existsSync(`${dir}/${f}.br`) ? fs.statSync(`${dir}/${f}.br`).size : null;
  if (br === null) precompressed = false; else served += br;
  const sent = br === null ? "none" : `${(br/1024).toFixed(1)} KB`;
  console.log(`${f.padEnd(44)} raw ${(s[0]/1024).toFixed(1).padStart(7)} KB  gzip ${(s[1]/1024).toFixed(1).padStart(6)} KB  brotli ${(s[2]/1024).toFixed(1).padStart(6)} KB  sent ${sent.padStart(8)}`);
}
const sent = precompressed ? `${(served/1024).toFixed(1)} KB` : "none";
console.log(`${"total".padEnd(44)} raw ${(total[0]/1024).toFixed(1).padStart(7)} KB  gzip ${(total[1]/1024).toFixed(1).padStart(6)} KB  brotli ${(total[2]/1024).toFixed(1).padStart(6)} KB  sent ${sent.padStart(8)}`);
'
