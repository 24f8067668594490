#!/usr/bin/env bash
# By-hand acceptance check (docs/AGENT.md, "By hand: Spring PetClinic"): the unmodified Spring PetClinic's
# find-owners page, whose search is the Spring Data query findByLastNameStartingWith(lastName, Pageable)
# (a `like ?1 escape '\'` and its count query), answers the same owners when Person#lastName (the mapped
# superclass of Owner and Vet) is encrypted and prefix-searchable through the agent configuration alone.
#
#   1. control, no agent: a new H2 file, tables by Hibernate (ddl-auto=create), PetClinic's ten owners added
#      through its "Add Owner" form; the owner names the find-owners page lists for each search
#   2. the same with the agent: the same names for each search, the last_name column binary, and the raw
#      .mv.db file (after SHUTDOWN COMPACT, rewritten uncompressed) holds no last name, while the control's
#      holds them all and both hold the first names (not configured)
#
# The owners go through the form because legacy rows would need their index columns filled (PetClinic's
# data.sql writes plaintext without them). Needs JDK 17+, Maven, git, curl, and network access to GitHub and
# Maven Central (or PETCLINIC_SRC set to an existing clone). Run it by hand:
#
#   mvn -pl agent -am package -DskipTests && agent/it-apps/petclinic-search-check.sh
#
# Environment: WORK (default /tmp/petclinic-search-check), PORT (default 18081), PETCLINIC_SRC (a clone or a
# git URL, default https://github.com/spring-projects/spring-petclinic), PETCLINIC_REF (a commit, default its
# default branch), AGENT_JAR (default the one built in agent/target). Exit status 0 when every check passed.
set -uo pipefail

CHECK_NAME=petclinic-search-check
WORK=${WORK:-/tmp/petclinic-search-check}
PORT=${PORT:-18081}
# shellcheck source=petclinic-common.sh
. "$(dirname "$0")/petclinic-common.sh"
rm -rf control agent lib .rowseal ./*.log ./*.properties ./*.names
mkdir -p control agent lib
extract_h2

cat >rowseal.properties <<EOF
encrypt.last-name                        = org.springframework.samples.petclinic.model.Person#lastName
encrypt.last-name.searchable             = prefix
encrypt.last-name.search-prefix          = 3
encrypt.last-name.search-bits            = 8
encrypt.last-name.search-distinct-values = 1000
EOF

# PetClinic's data.sql owners: first name, last name, address, city, telephone
OWNERS=("George|Franklin|110 W. Liberty St.|Madison|6085551023" "Betty|Davis|638 Cardinal Ave.|Sun Prairie|6085551749"
  "Eduardo|Rodriquez|2693 Commerce St.|McFarland|6085558763" "Harold|Davis|563 Friendly St.|Windsor|6085553198"
  "Peter|McTavish|2387 S. Fair Way|Madison|6085552765" "Jean|Coleman|105 N. Lake St.|Monona|6085552654"
  "Jeff|Black|1450 Oak Blvd.|Monona|6085555387" "Maria|Escobito|345 Maple St.|Madison|6085557683"
  "David|Schroeder|2749 Blackhawk Trail|Madison|6085559435" "Carlos|Estaban|2335 Independence La.|Waunakee|6085555487")
# the scanned last names; not Black, which the address "2749 Blackhawk Trail" (not configured) contains
LAST_NAMES=(Franklin Davis Rodriquez McTavish Coleman Escobito Schroeder Estaban)
FIRST_NAMES=(George Betty Eduardo Harold Peter Jean Jeff Maria Carlos)
SEARCHES=("" "Dav" "Davis" "x" "Franklin")

start_app() { # start_app <dir> <log> <agent config or "">: a new H2 file in <dir>, tables by Hibernate
  local dir=$1 log=$2 config=$3
  local agent=()
  [ -n "$config" ] && agent=("-javaagent:$AGENT_JAR=config=$config")
  (cd "$dir" && exec java -XX:TieredStopAtLevel=1 "${agent[@]}" -jar "$WORK/$APP_JAR" --server.port="$PORT" \
    --spring.datasource.url="jdbc:h2:file:$WORK/$dir/petclinic" --spring.datasource.username=sa \
    --spring.datasource.password= --spring.sql.init.mode=never --spring.jpa.hibernate.ddl-auto=create) >"$log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 120); do
    if ! kill -0 "$APP_PID" 2>/dev/null; then wait "$APP_PID"; local rc=$?; APP_PID=; return $rc; fi
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/")" = 200 ] && return 0
    sleep 1
  done
  die "the application did not answer within 120 s ($log)"
}

add_owners() {
  local owner code added=0
  for owner in "${OWNERS[@]}"; do
    IFS='|' read -r first last address city telephone <<<"$owner"
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/owners/new" --data-urlencode "firstName=$first" \
      --data-urlencode "lastName=$last" --data-urlencode "address=$address" --data-urlencode "city=$city" \
      --data-urlencode "telephone=$telephone")
    [ "$code" = 302 ] && added=$((added + 1))
  done
  check "the ten owners are added through the form ($added of ${#OWNERS[@]} answered 302)" test "$added" = ${#OWNERS[@]}
}

# The owner names the find-owners page answers for a last name: every page of the list, the owner's page
# when there is one match (PetClinic redirects to it), or "not found".
names_for() {
  local last=$1 page=1 html
  while :; do
    html=$(curl -s -L -G "$BASE/owners" --data-urlencode "lastName=$last" --data-urlencode "page=$page")
    if grep -q 'has not been found' <<<"$html"; then echo "(not found)"; return; fi
    if grep -q '<table id="owners"' <<<"$html"; then
      grep -o '<a href="/owners/[0-9]*" *>[^<]*</a>' <<<"$html" | sed 's/<[^>]*>//g'
      grep -q "href=\"/owners?page=$((page + 1))\"" <<<"$html" || return
      page=$((page + 1))
    else
      echo "$html" | grep -o '<td><b>[^<]*</b></td>' | sed 's/<[^>]*>//g; s/$/ (owner page)/'
      return
    fi
  done
}

search_all() { # search_all <mode>: the answers for every search, into <mode>.names
  local last
  for last in "${SEARCHES[@]}"; do
    echo "lastName='$last':"
    names_for "$last" | sed 's/^/    /'
  done | tee "$1.names" | sed 's/^/  /'
}

found() { local file=$1 n=0; shift; for text in "$@"; do grep -q -a -F "$text" "$file" && n=$((n + 1)); done; echo $n; }
compact() { # compact <dir>: SHUTDOWN COMPACT, then the uncompressed rewrite a byte scan needs (petclinic-check.sh)
  java -cp "$H2_JAR" org.h2.tools.Shell -url "jdbc:h2:file:$WORK/$1/petclinic" -user sa -password '' \
    -sql "SHUTDOWN COMPACT" >/dev/null 2>&1
  java -cp "$H2_JAR" org.h2.mvstore.MVStoreTool -compact "$1/petclinic.mv.db" || die "cannot rewrite $1/petclinic.mv.db"
}
sql() { java -cp "$H2_JAR" org.h2.tools.Shell -url "jdbc:h2:file:$WORK/$1/petclinic" -user sa -password '' -sql "$2"; }

say "1. control: no agent"
start_app control control.log "" || die "no start (control.log)"
add_owners
search_all control
stop_app
compact control
echo "  the control's file holds $(found control/petclinic.mv.db "${LAST_NAMES[@]}") of the ${#LAST_NAMES[@]} last" \
  "names, $(found control/petclinic.mv.db "${FIRST_NAMES[@]}") of the ${#FIRST_NAMES[@]} first names"
check "the control's file holds every last name (the scan works)" \
  test "$(found control/petclinic.mv.db "${LAST_NAMES[@]}")" = ${#LAST_NAMES[@]}

say "2. agent: Person#lastName encrypted, prefix-searchable"
start_app agent agent.log "$WORK/rowseal.properties" || die "no start (agent.log)"
add_owners
search_all agent
stop_app
check "the agent's log has no error" bash -c '! grep -E "RS-[0-9]{4}" agent.log | grep -v -E "INFO|WARN"'
grep -E 'rowseal-agent\] (WARN|ERROR)|RS-4009' agent.log | cut -c1-220 | sed 's/^/    /'
check "every search lists the same owners as without the agent" diff -u control.names agent.names
sql agent "select column_name, data_type from information_schema.columns where table_name = 'OWNERS'
  and column_name like 'LAST_NAME%' order by column_name" | sed 's/^/  /'
check "owners.last_name is binary" bash -c "java -cp '$H2_JAR' org.h2.tools.Shell -url 'jdbc:h2:file:$WORK/agent/petclinic' \
  -user sa -password '' -sql \"select data_type from information_schema.columns where table_name = 'OWNERS' and
  column_name = 'LAST_NAME'\" | grep -q 'BINARY VARYING'"
compact agent
echo "  the agent's file holds $(found agent/petclinic.mv.db "${LAST_NAMES[@]}") of the ${#LAST_NAMES[@]} last" \
  "names, $(found agent/petclinic.mv.db "${FIRST_NAMES[@]}") of the ${#FIRST_NAMES[@]} first names"
for text in "${LAST_NAMES[@]}"; do
  check "no '$text' in the file" bash -c '! grep -q -a -F "$1" "$2"' _ "$text" agent/petclinic.mv.db
done
check "the first names (not configured) are in the file" \
  test "$(found agent/petclinic.mv.db "${FIRST_NAMES[@]}")" = ${#FIRST_NAMES[@]}

say "result: $FAILURES failure(s)"
[ "$FAILURES" -eq 0 ]
