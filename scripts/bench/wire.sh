#!/usr/bin/env bash
# Bytes on the wire for the bulk bodies of a job (DOTI and DOTO) with no compression (protocol 1), LZO
# (protocol 2, what distcc 3.4 sends) and LZ4 (the jdistcc extension), measured with the codec itself.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
work=$(mktemp -d); cd "$work"
gcc -E "$here/fixtures/hello.c" -o hello.i && gcc -c hello.i -o hello.o
g++ -O2 -E "$here/fixtures/realistic.cpp" -o realistic.ii && g++ -O2 -c realistic.ii -o realistic.o
echo "## Bytes on the wire (\`scripts/bench/wire.sh\`)"
echo
echo "| body | none (protocol 1) | LZO (protocol 2): bytes, compress+decompress | LZ4 (jdistcc): bytes, compress+decompress |"
echo "|---|---|---|---|"
"$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -cp "$root/dist/lib/*" "$here/WireBytes.java" \
  "hello.i (DOTI)=hello.i" "hello.o (DOTO)=hello.o" "realistic.ii (DOTI)=realistic.ii" "realistic.o (DOTO)=realistic.o"
