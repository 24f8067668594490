# Shared by petclinic-check.sh and petclinic-search-check.sh (sourced, not run): helpers, and PetClinic cloned
# and built unmodified. Expects CHECK_NAME, WORK and PORT to be set; leaves the working directory at $WORK.

REPO_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PETCLINIC_SRC=${PETCLINIC_SRC:-https://github.com/spring-projects/spring-petclinic}
AGENT_JAR=${AGENT_JAR:-$(ls "$REPO_ROOT"/agent/target/rowseal-agent-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -1)}
BASE="http://localhost:$PORT"
FAILURES=0
APP_PID=

say() { printf '\n== %s\n' "$*"; }
check() { # check <description> <command...>: records a failure instead of stopping
  local what=$1; shift
  if "$@"; then printf '  ok    %s\n' "$what"; else printf '  FAIL  %s\n' "$what"; FAILURES=$((FAILURES + 1)); fi
}
stop_app() {
  if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null; wait "$APP_PID" 2>/dev/null; APP_PID=; fi
}
trap stop_app EXIT
die() { echo "$CHECK_NAME: $*" >&2; stop_app; exit 1; }

[ -f "$AGENT_JAR" ] || die "no agent jar; build it with: mvn -pl agent -am package -DskipTests"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/")" = 000 ] || die "something already answers on port $PORT"
mkdir -p "$WORK"
cd "$WORK" || exit 1

# --- PetClinic, unmodified, built as its users build it (flags only: no formatting or style checks) -----
if [ ! -d petclinic ]; then
  git clone -q "$PETCLINIC_SRC" petclinic || die "cannot clone $PETCLINIC_SRC"
fi
if [ -n "${PETCLINIC_REF:-}" ]; then git -C petclinic checkout -q "$PETCLINIC_REF" || die "no $PETCLINIC_REF"; fi
APP_JAR=$(ls petclinic/target/spring-petclinic-*.jar 2>/dev/null | head -1)
if [ -z "$APP_JAR" ]; then
  (cd petclinic && mvn -B -q -DskipTests -Dcheckstyle.skip -Dspring-javaformat.skip=true -Djacoco.skip=true package) \
    || die "PetClinic did not build"
  APP_JAR=$(ls petclinic/target/spring-petclinic-*.jar | head -1)
fi
echo "PetClinic $(git -C petclinic rev-parse --short HEAD): $APP_JAR"
echo "agent: $AGENT_JAR"

# The H2 jar PetClinic ships, for the scripts' own SQL and file scans.
extract_h2() {
  unzip -q -j -o "$APP_JAR" 'BOOT-INF/lib/h2-*.jar' -d lib || die "no H2 in $APP_JAR"
  H2_JAR=$(ls lib/h2-*.jar)
  echo "$(unzip -l "$APP_JAR" | grep -o 'hibernate-core-[^ ]*jar'), $(basename "$H2_JAR")"
}
