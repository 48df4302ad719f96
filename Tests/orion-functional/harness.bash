# The shell functions that Orion's functional-test cases call, for Atrium: loaded into every part of a case
# through BASH_ENV by run.py. The broker is started with Orion 4.7's harness command line through a symlink named
# contextBroker; "databases" are the SQLite files of the broker's data folder.

ATRIUM_OFT_DATA="${ATRIUM_OFT_WORK}/atrium-data/context-broker"

# dbInit ROLE [TENANT] / dbDrop ROLE [TENANT]: remove a database (the broker's file for it).
function dbInit()
{
  local name="$1"
  if [ "$name" == "CB" ]; then name="$CB_DB_NAME"; fi
  if [ $# == 2 ]; then name="$name-$2"; fi
  rm -f "$ATRIUM_OFT_DATA/$name.sqlite" "$ATRIUM_OFT_DATA/$name.sqlite-wal" "$ATRIUM_OFT_DATA/$name.sqlite-shm"
}

function dbDrop()
{
  dbInit "$@"
}

function dbResetAll()
{
  rm -f "$ATRIUM_OFT_DATA"/*.sqlite*
}

# The pid of the broker listening on PORT, if one runs.
function _atriumBrokerPid()
{
  ps -ww -e -o pid=,args= | awk -v port="$1" '/contextBroker/ && index($0, "-port " port " ") { print $1 }'
}

function localBrokerStop()
{
  local pids
  pids=$(_atriumBrokerPid "$CB_PORT")
  if [ "$pids" != "" ]; then
    kill $pids 2> /dev/null
    for _ in $(seq 1 100); do
      [ "$(_atriumBrokerPid "$CB_PORT")" == "" ] && break
      sleep 0.05
    done
    pids=$(_atriumBrokerPid "$CB_PORT")
    if [ "$pids" != "" ]; then kill -9 $pids 2> /dev/null; sleep 0.2; fi
  fi
  rm -f "$CB_PID_FILE"
}

# brokerStart ROLE [TRACE_LEVELS] [IPV4|IPV6|BOTH] [EXTRA FLAGS…]: Orion's harness command line.
function brokerStart()
{
  local role="$1" traceLevels="$2" ipVersion="$3"
  shift; shift; shift
  if [ "$role" != "CB" ]; then
    echo "Atrium's harness runs one broker (CB), not $role"
    exit 1
  fi
  local extra="" modeGiven=no
  while [ "$#" != 0 ]; do
    case "$1" in
      --noCache|-noCache|--cache|-cache) ;;
      -notificationMode|--notificationMode) modeGiven=yes; extra="$extra $1 $2"; shift ;;
      *) extra="$extra $1" ;;
    esac
    shift
  done
  if [ "$modeGiven" == "no" ]; then extra="$extra -notificationMode threadpool:200:20"; fi
  if [ "$traceLevels" == "" ]; then traceLevels=0-255; fi
  local ipOption=""
  if [ "$ipVersion" == "IPV4" ]; then ipOption="-ipv4"; elif [ "$ipVersion" == "IPV6" ]; then ipOption="-ipv6"; fi

  localBrokerStop
  contextBroker -harakiri -port $CB_PORT -pidpath $CB_PID_FILE -dbURI mongodb://localhost:27017 -db $CB_DB_NAME \
    -dbPoolSize 10 -t $traceLevels $ipOption -logLevel DEBUG $extra
  for _ in $(seq 1 200); do
    if (exec 3<> /dev/tcp/127.0.0.1/$CB_PORT) 2> /dev/null; then
      if [ "$(_atriumBrokerPid "$CB_PORT" | wc -l)" != "1" ]; then
        echo "Unable to start contextBroker"
        exit 1
      fi
      return 0
    fi
    sleep 0.05
  done
  echo "The context broker didn't start!"
  echo "Unable to start contextBroker"
  exit 1
}

function brokerStop()
{
  if [ "$1" == "-v" ]; then shift; fi
  local role="${1:-CB}"
  if [ "$role" != "CB" ]; then return; fi
  kill $(cat "$CB_PID_FILE" 2> /dev/null) 2> /dev/null
  for _ in $(seq 1 100); do
    [ "$(_atriumBrokerPid "$CB_PORT")" == "" ] && break
    sleep 0.05
  done
  rm -f "$CB_PID_FILE"
}

function valgrindSleep()
{
  :
}

# Notification receivers, as the cases use them: accumulator.py (Atrium's own, see its header) listening on
# LISTENER_PORT (accumulatorStart, accumulatorDump, …), LISTENER2_PORT (accumulator2…) or LISTENER3_PORT
# (accumulator3…); with --mqttHost it also keeps the messages of an MQTT topic filter.
function _accumulatorPidFile()
{
  echo "$ATRIUM_OFT_WORK/.accumulator-$1.pid"
}

function _accumulatorStopPort()
{
  local file pid
  file=$(_accumulatorPidFile "$1")
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  rm -f "$file"
  [ "$pid" == "" ] && return 0
  kill -- -"$pid" 2> /dev/null || kill "$pid" 2> /dev/null
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.05
  done
  kill -9 -- -"$pid" 2> /dev/null
  return 0
}

# The port that the arguments name (a number among them), or the default one.
function _accumulatorPort()
{
  local default="$1"
  shift
  local argument
  for argument in "$@"; do
    if [[ "$argument" =~ ^[0-9]+$ ]]; then echo "$argument"; return; fi
  done
  echo "$default"
}

# accumulatorStart [--pretty-print] [--url PATH] [--mqttHost H --mqttPort P --mqttTopic T] [IP] [PORT]
function _accumulatorStartOn()
{
  local defaultPort="$1"
  shift
  local options=() ip="localhost" port="" mqtt=no
  while [ "$#" != 0 ]; do
    case "$1" in
      --pretty-print|--https) options+=("$1") ;;
      --url|--key|--cert|--mqttPort|--mqttTopic) options+=("$1" "$2"); shift ;;
      --mqttHost) options+=("$1" "$2"); mqtt=yes; shift ;;
      *) if [[ "$1" =~ ^[0-9]+$ ]]; then port="$1"; elif [ "$1" != "" ]; then ip="$1"; fi ;;
    esac
    shift
  done
  port=${port:-$defaultPort}
  _accumulatorStopPort "$port"
  setsid python3 "$ATRIUM_OFT_HOME/accumulator.py" "${options[@]}" "$ip" "$port" \
    > "$ATRIUM_OFT_WORK/accumulator-$port.log" 2>&1 < /dev/null &
  local pid=$!
  echo "$pid" > "$(_accumulatorPidFile "$port")"
  for _ in $(seq 1 200); do
    if (exec 3<> /dev/tcp/127.0.0.1/$port) 2> /dev/null; then break; fi
    sleep 0.05
  done
  # let mosquitto_sub subscribe before the case publishes
  if [ "$mqtt" == "yes" ]; then sleep 0.5; fi
  echo "accumulator running as PID $pid"
}

function _accumulatorGet()
{
  local port="$1" what="$2" method="${3:-GET}"
  curl -s -S -X "$method" "http://127.0.0.1:$port/$what"
}

function accumulatorStart()  { _accumulatorStartOn "$LISTENER_PORT" "$@"; }
function accumulator2Start() { _accumulatorStartOn "$LISTENER2_PORT" "$@"; }
function accumulator3Start() { _accumulatorStartOn "$LISTENER3_PORT" "$@"; }
function accumulatorStop()   { _accumulatorStopPort "$(_accumulatorPort "$LISTENER_PORT" "$@")"; }
function accumulator2Stop()  { _accumulatorStopPort "$(_accumulatorPort "$LISTENER2_PORT" "$@")"; }
function accumulator3Stop()  { _accumulatorStopPort "$(_accumulatorPort "$LISTENER3_PORT" "$@")"; }
function accumulatorDump()   { _accumulatorGet "$(_accumulatorPort "$LISTENER_PORT" "$@")" dump; }
function accumulator2Dump()  { _accumulatorGet "$(_accumulatorPort "$LISTENER2_PORT" "$@")" dump; }
function accumulator3Dump()  { _accumulatorGet "$(_accumulatorPort "$LISTENER3_PORT" "$@")" dump; }
function accumulatorReset()  { _accumulatorGet "$(_accumulatorPort "$LISTENER_PORT" "$@")" reset POST; }
function accumulator2Reset() { _accumulatorGet "$(_accumulatorPort "$LISTENER2_PORT" "$@")" reset POST; }
function accumulator3Reset() { _accumulatorGet "$(_accumulatorPort "$LISTENER3_PORT" "$@")" reset POST; }
function accumulatorCount()  { _accumulatorGet "$(_accumulatorPort "$LISTENER_PORT" "$@")" number; echo; }
function accumulator2Count() { _accumulatorGet "$(_accumulatorPort "$LISTENER2_PORT" "$@")" number; echo; }
function accumulator3Count() { _accumulatorGet "$(_accumulatorPort "$LISTENER3_PORT" "$@")" number; echo; }

# Every accumulator of the case, stopped after its teardown.
function accumulatorStopAll()
{
  local file
  for file in "$ATRIUM_OFT_WORK"/.accumulator-*.pid; do
    [ -f "$file" ] || continue
    file=${file##*/.accumulator-}
    _accumulatorStopPort "${file%.pid}"
  done
}

# orionCurl prints the answer, and leaves its body in $_response and its headers in $_responseHeaders for the lines
# that follow, as the cases expect.
function orionCurl()
{
  local saved="$ATRIUM_OFT_WORK/.orionCurl.response"
  rm -f "$saved" "$saved.headers"
  ATRIUM_OFT_RESPONSE="$saved" python3 "$ATRIUM_OFT_HOME/orion_curl.py" "$@"
  _response=$(cat "$saved" 2> /dev/null)
  _responseHeaders=$(cat "$saved.headers" 2> /dev/null)
}

export -f dbInit dbDrop dbResetAll _atriumBrokerPid localBrokerStop brokerStart brokerStop valgrindSleep orionCurl \
  _accumulatorPidFile _accumulatorStopPort _accumulatorPort _accumulatorStartOn _accumulatorGet accumulatorStopAll \
  accumulatorStart accumulator2Start accumulator3Start accumulatorStop accumulator2Stop accumulator3Stop \
  accumulatorDump accumulator2Dump accumulator3Dump accumulatorReset accumulator2Reset accumulator3Reset \
  accumulatorCount accumulator2Count accumulator3Count
