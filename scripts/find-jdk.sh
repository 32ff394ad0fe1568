# Sourced by ./hearth and .ci/run: sets JAVA_HOME to a JDK of 21 or newer, or fails with one line.
# Order: $JAVA_HOME, then the java on PATH, then /usr/lib/jvm/* (newest first).

hearth_java_major() { # prints the major version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

hearth_find_jdk() {
  local candidates=() c home major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    c=$(command -v java); c=$(readlink -f "$c" 2>/dev/null || echo "$c"); candidates+=("${c%/bin/java}")
  fi
  for home in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${home%/}"); done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    major=$(hearth_java_major "$home/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$home"
      return 0
    fi
  done
  echo "hearth: no JDK 21 or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm/*); install one, e.g. apt-get install openjdk-21-jdk-headless, or set JAVA_HOME" >&2
  return 1
}
