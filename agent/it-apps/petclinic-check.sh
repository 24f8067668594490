#!/usr/bin/env bash
# By-hand acceptance check (docs/AGENT.md, "By hand: Spring PetClinic"): the unmodified Spring PetClinic,
# seeded with plain SQL (its schema.sql/data.sql) into an H2 file, adopts rowseal with the agent alone.
#
#   0. seed the plaintext database without the agent (spring.sql.init.mode=always, once)
#   1. agent on the plaintext schema: the boot stops with RS-4302/RS-4303 and the DDL; apply that DDL
#      (with the application's own H2 driver); without transition reads the legacy rows fail with RS-4201
#   2. transition reads on: every page serves, before the job has run
#   3. the job, by the agent alone (rowseal.agent.migrate), beside the running application: its progress
#   4. transition reads off: every page serves; after SHUTDOWN COMPACT the raw .mv.db file holds none of
#      the plaintext of the configured columns (seeded or written through the pages), while unconfigured
#      columns (first_name, last_name, pets.name) are visible to the same scan
#
# Needs: JDK 17+, Maven, git, curl, and network access to GitHub and Maven Central (or PETCLINIC_SRC set to
# an existing clone). CI cannot reach GitHub, so this is not part of `mvn verify`; run it by hand:
#
#   mvn -pl agent -am package -DskipTests && agent/it-apps/petclinic-check.sh
#
# Environment: WORK (default /tmp/petclinic-check), PORT (default 18080), PETCLINIC_SRC (a clone or a git
# URL, default https://github.com/spring-projects/spring-petclinic), PETCLINIC_REF (a commit, default its
# default branch), AGENT_JAR (default the one built in agent/target). Exit status 0 when every check passed.
set -uo pipefail

CHECK_NAME=petclinic-check
WORK=${WORK:-/tmp/petclinic-check}
PORT=${PORT:-18080}
# shellcheck source=petclinic-common.sh
. "$(dirname "$0")/petclinic-common.sh"
rm -rf db control lib .rowseal ./*.log ./*.properties ./*.sql
mkdir -p db lib
extract_h2
URL="jdbc:h2:file:$WORK/db/petclinic"
sql() { java -cp "$H2_JAR" org.h2.tools.Shell -url "$URL" -user sa -password '' -sql "$1"; }

# --- scanning the raw database file ----------------------------------------------------------------------
# SHUTDOWN COMPACT (docs/MIGRATION.md, "Plaintext left behind") drops the pages H2 freed, but H2 writes the
# compacted file LZF-compressed, and a compressed page keeps only the first of repeated byte runs: a grep of
# it misses most of the plaintext of a plaintext table. So every scan below runs on the file rewritten
# without compression (MVStoreTool -compact), and step 1 shows that this scan finds every
# seeded value in the plaintext database.
SEEDED=("110 W. Liberty St." "638 Cardinal Ave." "2693 Commerce St." "Madison" "Sun Prairie" "McFarland" \
  "6085551023" "6085551749" "6085558763" "rabies shot" "neutered" "spayed" "2010-09-07" "2012-08-06")
found() { local file=$1 n=0; shift; for text in "$@"; do grep -q -a -F "$text" "$file" && n=$((n + 1)); done; echo $n; }
compact() { # compact <url> <file>: what the user runs, then the uncompressed rewrite a byte scan needs
  java -cp "$H2_JAR" org.h2.tools.Shell -url "$1" -user sa -password '' -sql "SHUTDOWN COMPACT" >/dev/null 2>&1
  echo "  after SHUTDOWN COMPACT ($(stat -c %s "$2") bytes) a byte scan finds $(found "$2" "${SEEDED[@]}")" \
    "of the ${#SEEDED[@]} seeded values"
  java -cp "$H2_JAR" org.h2.mvstore.MVStoreTool -compact "$2" || die "cannot rewrite $2"
  echo "  rewritten uncompressed ($(stat -c %s "$2") bytes): it finds $(found "$2" "${SEEDED[@]}")"
}

# --- running the application -------------------------------------------------------------------------------
start_app() { # start_app <log> <agent config or ""> [spring.sql.init.mode, default never]
  local log=$1 config=$2 init=${3:-never}
  local agent=()
  [ -n "$config" ] && agent=("-javaagent:$AGENT_JAR=config=$config")
  java -XX:TieredStopAtLevel=1 "${agent[@]}" -jar "$APP_JAR" --server.port="$PORT" \
    --spring.datasource.url="$URL" --spring.datasource.username=sa --spring.datasource.password= \
    --spring.sql.init.mode="$init" >"$log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 120); do
    if ! kill -0 "$APP_PID" 2>/dev/null; then wait "$APP_PID"; local rc=$?; APP_PID=; return $rc; fi
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/")" = 200 ] && return 0
    sleep 1
  done
  die "the application did not answer within 120 s ($log)"
}

# --- the pages ---------------------------------------------------------------------------------------------
status() { # status <expected> <method> <path> [curl args...]: checks the HTTP code
  local expected=$1 method=$2 path=$3; shift 3
  local code
  code=$(curl -s -o "$WORK/page.html" -w '%{http_code}' -X "$method" "$@" "$BASE$path")
  printf '  %s %-32s -> %s' "$method" "$path" "$code"
  if [ "$code" = "$expected" ]; then echo; else echo "   (expected $expected)"; FAILURES=$((FAILURES + 1)); fi
}
shows() { # shows <text>: the last page contains it (plaintext came back through rowseal)
  if grep -q -F "$1" "$WORK/page.html"; then echo "        shows '$1'"; else
    echo "  FAIL  page does not show '$1'"; FAILURES=$((FAILURES + 1)); fi
}
every_page() { # every_page <tag>: GETs and POSTs over the whole application; new rows carry <tag>
  local tag=$1
  status 200 GET /; shows "Welcome"
  status 200 GET "/owners?lastName="; shows "110 W. Liberty St."; shows "6085551023"
  status 200 GET "/owners?lastName=Franklin" -L; shows "Madison"  # one match: redirects to it
  status 200 GET /owners/1; shows "110 W. Liberty St."; shows "Madison"; shows "2010-09-07"
  status 200 GET /owners/1/edit; shows 'value="110 W. Liberty St."'
  status 302 POST /owners/1/edit -d firstName=George -d lastName=Franklin \
    --data-urlencode "address=110 W. Liberty St." -d city=Madison -d telephone=6085551023
  status 200 GET /owners/new
  status 302 POST /owners/new -d firstName=Rowan -d "lastName=Seal$tag" \
    --data-urlencode "address=$tag Cipher Lane" -d "city=Ciphertown$tag" -d telephone=555010000$tag
  status 200 GET "/owners?lastName=Seal$tag" -L; shows "$tag Cipher Lane"
  status 200 GET /owners/1/pets/new
  status 302 POST /owners/1/pets/new -d "name=Pet$tag" -d birthDate=2020-0$tag-1$tag -d type=cat
  status 200 GET /owners/1/pets/1/edit; shows "2010-09-07"
  status 302 POST /owners/1/pets/1/edit -d id=1 -d name=Leo -d birthDate=2010-09-07 -d type=cat
  status 200 GET /owners/1/pets/1/visits/new
  status 302 POST /owners/1/pets/1/visits/new -d date=2024-0$tag-0$tag -d "description=checkup $tag"
  status 200 GET /owners/1; shows "Pet$tag"; shows "checkup $tag"
  status 200 GET /owners/6; shows "rabies shot"
  status 200 GET /vets.html; shows "Carter"
  status 200 GET /vets -H 'Accept: application/json'; shows "Carter"
  status 500 GET /oups -H 'Accept: text/html'; shows "Something happened"
}

# --- 0. the plaintext database, seeded by PetClinic's own SQL scripts, without the agent ---------------------
say "0. seed: PetClinic's schema.sql and data.sql into $URL, no agent"
start_app seed.log "" always || die "seeding failed (seed.log)"
status 200 GET /owners/1; shows "110 W. Liberty St."
stop_app

cat >rowseal.properties <<EOF
encrypt.owner-address     = org.springframework.samples.petclinic.owner.Owner#address
encrypt.owner-city        = org.springframework.samples.petclinic.owner.Owner#city
encrypt.owner-telephone   = org.springframework.samples.petclinic.owner.Owner#telephone
encrypt.pet-birth-date    = org.springframework.samples.petclinic.owner.Pet#birthDate
encrypt.visit-description = org.springframework.samples.petclinic.owner.Visit#description
EOF

# --- 1. the agent on the plaintext schema ------------------------------------------------------------------
say "1. agent, plaintext schema: the boot stops with the DDL"
start_app step1.log rowseal.properties
rc=$?
check "the boot fails (exit status $rc)" test "$rc" -ne 0
check "RS-4302 (column types) is reported" grep -q 'RS-4302' step1.log
check "RS-4303 (row-signature column) is reported" grep -q 'RS-4303' step1.log
grep -o '\(change\|widen\|add\) it with: .*' step1.log | sed 's/^[a-z]* it with: //; s/; /;\n/g' \
  | sed 's/;*$/;/' | awk '!seen[$0]++' >rowseal-schema.sql
echo "  the DDL printed by the column check:"; sed 's/^/    /' rowseal-schema.sql
java -cp "$H2_JAR" org.h2.tools.RunScript -url "$URL" -user sa -password '' -script rowseal-schema.sql \
  || die "the DDL did not apply"
echo "  applied"
echo "  control: the scan on a copy of the database as the job will find it (plaintext, dates now as text)"
mkdir -p control && cp db/petclinic.mv.db control/petclinic.mv.db
echo "  as is: a byte scan finds $(found control/petclinic.mv.db "${SEEDED[@]}") of the ${#SEEDED[@]} seeded values"
compact "jdbc:h2:file:$WORK/control/petclinic" control/petclinic.mv.db
check "the scan finds every seeded value in the plaintext database" \
  test "$(found control/petclinic.mv.db "${SEEDED[@]}")" = ${#SEEDED[@]}

say "1b. agent, DDL applied, no transition reads: legacy rows are refused"
start_app step1b.log rowseal.properties || die "no start (step1b.log)"
status 500 GET /owners/1 -H 'Accept: text/html'; shows "Something happened"
check "the log names RS-4201 for the legacy row" grep -q 'RS-4201' step1b.log
grep -o 'RS-4201[^"]*' step1b.log | head -1 | cut -c1-220 | sed 's/^/        /'
stop_app

# --- 2. transition reads: every page serves before the job -------------------------------------------------
say "2. agent + rowseal.transition.read-plaintext=true, before the job: every page"
{ cat rowseal.properties; echo "rowseal.transition.read-plaintext = true"; } >transition.properties
start_app step2.log transition.properties || die "no start (step2.log)"
every_page 2
stop_app

# --- 3. the job, with the agent alone ----------------------------------------------------------------------
say "3. rowseal.agent.migrate beside the running application"
{ cat transition.properties; echo "rowseal.agent.migrate = org.springframework.samples.petclinic.owner.Owner, \
org.springframework.samples.petclinic.owner.Pet, org.springframework.samples.petclinic.owner.Visit"; } >migrate.properties
start_app step3.log migrate.properties || die "no start (step3.log)"
for _ in $(seq 1 120); do
  [ "$(grep -c -E 'migration of [A-Za-z]+ (done|failed)' step3.log)" -ge 3 ] && break
  sleep 1
done
grep -F '[rowseal-agent]' step3.log | grep migration | sed 's/^/    /'
for entity in Owner Pet Visit; do
  check "migration of $entity done, 0 could not be read" \
    grep -q -E "migration of $entity done: .* 0 failed" step3.log
done
status 200 GET /owners/1; shows "110 W. Liberty St."
stop_app

# --- 4. transition reads off ------------------------------------------------------------------------------
say "4. agent, transition reads off, after the job: every page"
start_app step4.log rowseal.properties || die "no start (step4.log)"
every_page 4
stop_app

say "4b. the raw database file"
FILE="$WORK/db/petclinic.mv.db"
echo "  as the application left it ($(stat -c %s "$FILE") bytes): a byte scan finds $(found "$FILE" "${SEEDED[@]}")" \
  "of the ${#SEEDED[@]} seeded values"
compact "$URL" "$FILE"
for text in "${SEEDED[@]}" "2 Cipher Lane" "4 Cipher Lane" "Ciphertown2" "Ciphertown4" \
    "5550100002" "5550100004" "checkup 2" "checkup 4" "2020-02-12" "2020-04-14"; do
  check "no '$text' in the file" bash -c '! grep -q -a -F "$1" "$2"' _ "$text" "$FILE"
done
for text in "George" "Franklin" "Jean" "Coleman" "Samantha" "Carter" "Seal2" "Seal4" "Pet4"; do
  check "'$text' (not configured) is in the file" grep -q -a -F "$text" "$FILE"
done
unsigned=$(sql "select (select count(*) from owners where rowseal_sig is null)
  + (select count(*) from pets where rowseal_sig is null) + (select count(*) from visits where rowseal_sig is null) u" \
  | sed -n 2p | tr -d ' ')
check "every owners/pets/visits row is signed (unsigned: $unsigned)" test "$unsigned" = 0
sql "select id, first_name, length(address) address_bytes, left(rawtohex(address), 16) address_head,
  left(rawtohex(telephone), 16) telephone_head from owners where id <= 2" | sed 's/^/  /'

say "result: $FAILURES failure(s)"
[ "$FAILURES" -eq 0 ]
