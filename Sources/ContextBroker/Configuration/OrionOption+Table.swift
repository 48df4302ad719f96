extension OrionOption {
    /// The most a notification, forward, MQTT or Kafka timeout may be, in milliseconds (30 minutes, as the
    /// subscription `timeout` field; orion-api.md).
    package static let maximumTimeout = 1_800_000

    /// Every option of Orion 4.7's `contextBroker`, in the order of its usage text, plus Atrium's `-dataFolder`.
    ///
    /// Orion 4.0.0 removed `-dbhost`, `-rplSet`, `-dbTimeout`, `-dbuser`, `-dbAuthMech`, `-dbAuthDb`, `-dbSSL` and
    /// `-dbDisableRetryWrites` (Changelog, 4.0.0): they are not here, so they are refused as Orion refuses them.
    /// `-kafkaTimeout` and `-kafkaMaxAge` came with 4.3.0.
    package static let all: [OrionOption] = [
        // parse-args builtins, first in Orion's usage text.
        OrionOption("-U", environment: nil, .flag, .implemented, summary: "extended usage", builtin: true),
        OrionOption("-u", environment: nil, .flag, .implemented, summary: "usage", builtin: true),
        OrionOption("--version", environment: nil, .flag, .implemented, summary: "show version", builtin: true),
        OrionOption("--help", environment: nil, .flag, .implemented, summary: "show help", hidden: true, builtin: true),
        OrionOption(
            "-logDir", environment: "LOG_DIR", .string(default: "/tmp"), .implemented,
            summary: "directory of the log file", builtin: true),
        OrionOption(
            "-t", environment: "TRACE", .string(default: nil), .implemented, summary: "trace levels", builtin: true),
        OrionOption(
            "-logLevel", environment: "LOG_LEVEL", .string(default: "WARN"), .implemented,
            summary: "initial log level (NONE, FATAL, ERROR, WARN, INFO, DEBUG)", builtin: true),
        OrionOption(
            "-logAppend", environment: "LOG_APPEND", .flag, .implemented, summary: "append to the log file",
            builtin: true),

        OrionOption("-fg", environment: "FOREGROUND", .flag, .implemented, summary: "log to standard output too"),
        OrionOption(
            "-localIp", environment: "LOCALIP", .string(default: "0.0.0.0"), .implemented,
            summary: "address to listen on"),
        OrionOption(
            "-port", environment: "PORT", .integer(.int, default: 1026, minimum: 1, maximum: 65535), .implemented,
            summary: "port to listen on"),
        OrionOption(
            "-pidpath", environment: "PID_PATH", .string(default: "/tmp/contextBroker.pid"), .implemented,
            summary: "file that receives the process id"),
        OrionOption(
            "-dbURI", environment: "MONGO_URI", .string(default: nil), .implemented,
            summary: "database URI (sqlite:///absolute/path/file.sqlite; mongodb:// URIs are ignored)"),
        OrionOption(
            "-dbpwd", environment: "MONGO_PASSWORD", .string(default: nil), .mongoDB,
            summary: "MongoDB password (ignored)"),
        OrionOption(
            "-db", environment: "MONGO_DB", .string(default: "orion"), .implemented,
            summary: "database name, and prefix of the tenant databases"),
        OrionOption(
            "-dbPoolSize", environment: "MONGO_POOL_SIZE",
            .integer(.int, default: 10, minimum: 1, maximum: 10000), .mongoDB,
            summary: "MongoDB connection pool size (ignored)"),
        OrionOption("-ipv4", environment: "USEIPV4", .flag, .implemented, summary: "listen on IPv4 only"),
        OrionOption("-ipv6", environment: "USEIPV6", .flag, .implemented, summary: "listen on IPv6 only"),
        OrionOption(
            "-harakiri", environment: "HARAKIRI", .flag, .implemented, summary: "exit on GET /exit/harakiri",
            hidden: true),
        OrionOption("-https", environment: "HTTPS", .flag, .implemented, summary: "serve HTTPS (needs -key and -cert)"),
        OrionOption(
            "-key", environment: "HTTPS_KEYFILE", .string(default: nil), .implemented,
            summary: "private key file (PEM) for -https"),
        OrionOption(
            "-cert", environment: "HTTPS_CERTFILE", .string(default: nil), .implemented,
            summary: "certificate file (PEM) for -https"),
        OrionOption(
            "-multiservice", environment: "MULTI_SERVICE", .flag, .implemented,
            summary: "one database per Fiware-Service"),
        OrionOption(
            "-httpTimeout", environment: "HTTP_TIMEOUT",
            .integer(.long, default: -1, minimum: -1, maximum: maximumTimeout), .implemented,
            summary: "timeout of notifications and forwards, in milliseconds"),
        OrionOption(
            "-mqttTimeout", environment: "MQTT_TIMEOUT",
            .integer(.long, default: -1, minimum: -1, maximum: maximumTimeout), .implemented,
            summary: "timeout of MQTT connections, in milliseconds"),
        OrionOption(
            "-kafkaTimeout", environment: "KAFKA_TIMEOUT",
            .integer(.long, default: -1, minimum: -1, maximum: maximumTimeout), .accepted,
            summary: "timeout of Kafka connections, in milliseconds"),
        OrionOption(
            "-reqTimeout", environment: "REQ_TIMEOUT", .integer(.long, default: 0, minimum: 0, maximum: nil),
            .implemented,
            summary: "request timeout in seconds (0: none)"),
        OrionOption(
            "-reqMutexPolicy", environment: "MUTEX_POLICY", .string(default: "all"), .implemented,
            summary: "requests serialised (none, read, write, all)"),
        OrionOption(
            "-writeConcern", environment: "MONGO_WRITE_CONCERN",
            .integer(.int, default: 1, minimum: 0, maximum: 1), .mongoDB,
            summary: "MongoDB write concern (ignored)"),
        OrionOption(
            "-corsOrigin", environment: "CORS_ALLOWED_ORIGIN", .string(default: nil), .implemented,
            summary: "origin allowed by CORS (__ALL for any)"),
        OrionOption(
            "-corsMaxAge", environment: "CORS_MAX_AGE",
            .integer(.int, default: 86400, minimum: -1, maximum: 86400), .implemented,
            summary: "seconds a CORS preflight may be cached"),
        OrionOption(
            "-cprForwardLimit", environment: "CPR_FORWARD_LIMIT",
            .integer(.unsignedInt, default: 1000, minimum: 0, maximum: Int(UInt32.max)), .accepted,
            summary: "most forwards to context providers per request"),
        OrionOption(
            "-subCacheIval", environment: "SUBCACHE_IVAL",
            .integer(.int, default: 60, minimum: 0, maximum: 3600), .implemented,
            summary: "seconds between subscription cache refreshes (0: none)"),
        OrionOption("-noCache", environment: "NOCACHE", .flag, .accepted, summary: "no subscription cache"),
        OrionOption(
            "-connectionMemory", environment: "CONN_MEMORY",
            .integer(.unsignedInt, default: 64, minimum: 0, maximum: 1024), .accepted,
            summary: "memory per connection, in kilobytes"),
        OrionOption(
            "-maxConnections", environment: "MAX_CONN",
            .integer(.unsignedInt, default: 1020, minimum: 1, maximum: nil), .implemented,
            summary: "most simultaneous connections"),
        OrionOption(
            "-reqPoolSize", environment: "TRQ_POOL_SIZE",
            .integer(.unsignedInt, default: 0, minimum: 0, maximum: 1024), .accepted,
            summary: "threads serving connections"),
        OrionOption(
            "-inReqPayloadMaxSize", environment: "IN_REQ_PAYLOAD_MAX_SIZE",
            .integer(.unsignedLong, default: 1_048_576, minimum: 0, maximum: nil), .implemented,
            summary: "largest request payload, in bytes"),
        OrionOption(
            "-outReqMsgMaxSize", environment: "OUT_REQ_MSG_MAX_SIZE",
            .integer(.unsignedLong, default: 8_388_608, minimum: 0, maximum: nil), .implemented,
            summary: "largest notification or forward, in bytes"),
        OrionOption(
            "-notificationMode", environment: "NOTIF_MODE", .string(default: "transient"), .implemented,
            summary: "notification mode (persistent|transient|threadpool:q:n[,serv:q:n]*)"),
        OrionOption(
            "-notifFlowControl", environment: "NOTIF_FLOW_CONTROL", .string(default: nil), .implemented,
            summary: "notification flow control (gauge:stepDelay:maxInterval)"),
        OrionOption(
            "-simulatedNotification", environment: "DROP_NOTIF", .flag, .implemented,
            summary: "count notifications instead of sending them"),
        OrionOption(
            "-statCounters", environment: "STAT_COUNTERS", .flag, .implemented, summary: "counters in /statistics"),
        OrionOption(
            "-statSemWait", environment: "STAT_SEM_WAIT", .flag, .implemented, summary: "waits in /statistics"),
        OrionOption("-statTiming", environment: "STAT_TIMING", .flag, .implemented, summary: "timings in /statistics"),
        OrionOption(
            "-statNotifQueue", environment: "STAT_NOTIF_QUEUE", .flag, .implemented,
            summary: "notification queue in /statistics"),
        // Atrium's own, beyond Orion (left out of -u and -U, whose text is Orion's).
        OrionOption(
            "-notifRetries", environment: "NOTIF_RETRIES", .integer(.int, default: 0, minimum: 0, maximum: 100),
            .implemented, summary: "times a failed notification is tried again, with exponential backoff",
            hidden: true),
        OrionOption(
            "-notifOutbox", environment: "NOTIF_OUTBOX", .flag, .implemented,
            summary: "keep changes and notifications in the database until delivered", hidden: true),
        OrionOption(
            "-logSummary", environment: "LOG_SUMMARY_PERIOD",
            .integer(.int, default: 0, minimum: 0, maximum: 3600 * 24 * 31), .accepted,
            summary: "seconds between summary log lines (0: none)"),
        OrionOption(
            "-relogAlarms", environment: "RELOG_ALARMS", .flag, .accepted, summary: "log every alarm-raising failure"),
        OrionOption(
            "-strictNgsiv1Ids", environment: "CHECK_ID_V1", .flag, .accepted, summary: "NGSIv1 id checks (no NGSIv1)"),
        OrionOption(
            "-disableCustomNotifications", environment: "DISABLE_CUSTOM_NOTIF", .flag, .implemented,
            summary: "treat httpCustom as http"),
        OrionOption(
            "-disableFileLog", environment: "DISABLE_FILE_LOG", .flag, .implemented, summary: "no log file"),
        OrionOption(
            "-logForHumans", environment: "LOG_FOR_HUMANS", .flag, .implemented,
            summary: "short log lines on standard output"),
        OrionOption(
            "-logLineMaxSize", environment: "LOG_LINE_MAX_SIZE",
            .integer(.long, default: 32768, minimum: 100, maximum: nil), .implemented,
            summary: "longest log line, in bytes"),
        OrionOption(
            "-logInfoPayloadMaxSize", environment: "LOG_INFO_PAYLOAD_MAX_SIZE",
            .integer(.long, default: 5120, minimum: 0, maximum: nil), .implemented,
            summary: "longest payload in INFO log lines, in bytes"),
        OrionOption("-disableMetrics", environment: "DISABLE_METRICS", .flag, .implemented, summary: "no metrics"),
        OrionOption(
            "-disableNgsiv1", environment: "DISABLE_NGSIV1", .flag, .accepted, summary: "no NGSIv1 (there is none)"),
        OrionOption(
            "-insecureNotif", environment: "INSECURE_NOTIF", .flag, .implemented,
            summary: "HTTPS notifications to unverified peers"),
        OrionOption(
            "-ngsiv1Autocast", environment: "NGSIV1_AUTOCAST", .flag, .accepted,
            summary: "NGSIv1 value casts (no NGSIv1)"),
        OrionOption(
            "-mqttMaxAge", environment: "MQTT_MAX_AGE", .integer(.int, default: 60, minimum: nil, maximum: nil),
            .implemented,
            summary: "minutes an idle MQTT connection is kept"),
        OrionOption(
            "-kafkaMaxAge", environment: "KAFKA_MAX_AGE",
            .integer(.int, default: 43200, minimum: nil, maximum: nil), .accepted,
            summary: "minutes an idle Kafka connection is kept"),
        OrionOption(
            "-logDeprecate", environment: "LOG_DEPRECATE", .flag, .accepted, summary: "log uses of deprecated features"),

        // Atrium's own.
        OrionOption(
            "-dataFolder", environment: nil, .string(default: "atrium-data/context-broker"), .implemented,
            summary: "folder of the SQLite files (Atrium)"),
    ]

    /// The option named `name` exactly.
    package static func named(_ name: String) -> OrionOption? { all.first { $0.name == name } }
}
