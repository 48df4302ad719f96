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

# orionCurl prints the answer, and leaves its body in $_response for the lines that follow, as the cases expect.
function orionCurl()
{
  local saved="$ATRIUM_OFT_WORK/.orionCurl.response"
  rm -f "$saved"
  ATRIUM_OFT_RESPONSE="$saved" python3 "$ATRIUM_OFT_HOME/orion_curl.py" "$@"
  _response=$(cat "$saved" 2> /dev/null)
}

export -f dbInit dbDrop dbResetAll _atriumBrokerPid localBrokerStop brokerStart brokerStop valgrindSleep orionCurl
