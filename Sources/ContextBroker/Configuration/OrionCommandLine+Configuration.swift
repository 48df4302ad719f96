extension OrionCommandLine {
    /// Parses `arguments` (without the program name) and `environment` into the broker's configuration, with the
    /// checks Orion makes after parsing.
    /// - Throws: ``OrionCommandLineFailure`` with what Orion prints and its exit status.
    package func configuration(_ arguments: [String], environment: [String: String]) throws(OrionCommandLineFailure)
        -> BrokerConfiguration
    {
        let values = try parseValues(arguments, environment: environment)
        return try configuration(values)
    }

    /// The configuration `values` describe, after Orion's checks of their combinations.
    /// - Throws: ``OrionCommandLineFailure``.
    package func configuration(_ values: Values) throws(OrionCommandLineFailure) -> BrokerConfiguration {
        var configuration = BrokerConfiguration()
        configuration.parseNotices = values.parseNotices

        // Logging, with Orion's check that trace levels come with DEBUG.
        let level = values.string("-logLevel") ?? "WARN"
        let traceLevels = values.string("-t").flatMap(TraceLevels.init(parsing:)) ?? TraceLevels()
        if !traceLevels.isEmpty && level != "DEBUG" {
            throw OrionCommandLineFailure(
                standardOutput: "incompatible options: traceLevels cannot be used without setting -logLevel to DEBUG\n"
                    + usage(),
                status: 0)
        }
        configuration.logLevel = level
        configuration.logging.traceLevels = traceLevels
        configuration.logging.directory = values.string("-logDir") ?? "/tmp"
        configuration.logging.append = values.flag("-logAppend")
        configuration.logging.toFile = !values.flag("-disableFileLog")
        configuration.logging.foreground = values.flag("-fg")
        configuration.logging.forHumans = values.flag("-logForHumans")
        configuration.logging.lineMaxSize = values.integer("-logLineMaxSize")
        configuration.logging.infoPayloadMaxSize = values.integer("-logInfoPayloadMaxSize")
        configuration.logging.deprecate = values.flag("-logDeprecate")
        configuration.logging.summaryPeriod = values.integer("-logSummary")

        // Database.
        let database = values.string("-db") ?? "orion"
        guard database.utf8.count <= 10 else { throw .fatal("dbName too long (max 10 characters)") }
        configuration.databaseName = database
        configuration.databaseFolder = values.string("-dataFolder") ?? configuration.databaseFolder
        if values.isGiven("-dbURI"), let uri = values.string("-dbURI") {
            if let problem = configuration.apply(databaseURI: uri) { throw .fatal(problem) }
            if configuration.databaseFile == nil {
                configuration.ignoredOptionWarnings.append(Self.ignoredWarning("-dbURI", "a MongoDB URI"))
            }
        }
        configuration.mongoDBPassword = values.string("-dbpwd")
        for option in OrionOption.all where option.support == .mongoDB && values.isGiven(option.name) {
            configuration.ignoredOptionWarnings.append(Self.ignoredWarning(option.name, "a MongoDB setting"))
        }
        configuration.multiservice = values.flag("-multiservice")

        // Listener.
        let ipv4 = values.flag("-ipv4")
        let ipv6 = values.flag("-ipv6")
        if ipv4 && ipv6 {
            throw .fatal(
                "Fatal Error (-ipv4 and -ipv6 can not be activated at the same time. They are incompatible)")
        }
        configuration.port = values.integer("-port")
        let localIP = values.string("-localIp") ?? "0.0.0.0"
        if values.isGiven("-localIp") && localIP != "0.0.0.0" {
            configuration.host = localIP
        } else if ipv4 {
            configuration.host = "0.0.0.0"
        } else if ipv6 {
            configuration.host = "::"
        } else {
            configuration.host = "::"
            configuration.alternativeHost = "0.0.0.0"
        }
        if values.flag("-https") {
            guard let key = values.string("-key"), !key.isEmpty else {
                throw .fatal("Fatal Error (when option '-https' is used, option '-key' is mandatory)")
            }
            guard let certificate = values.string("-cert"), !certificate.isEmpty else {
                throw .fatal("Fatal Error (when option '-https' is used, option '-cert' is mandatory)")
            }
            configuration.tls = (privateKeyPath: key, certificatePath: certificate)
        }
        if let origin = values.string("-corsOrigin"), !origin.isEmpty {
            configuration.cors = CORSPolicy(origin: origin, maxAge: values.integer("-corsMaxAge"))
        }
        configuration.harakiri = values.flag("-harakiri")
        configuration.pidPath = values.string("-pidpath")
        configuration.connectionMemory = values.integer("-connectionMemory")

        // Requests.
        configuration.payloadMaximum = values.integer("-inReqPayloadMaxSize")
        configuration.mutexPolicy =
            BrokerConfiguration.MutexPolicy(rawValue: values.string("-reqMutexPolicy") ?? "all")
            ?? .all
        configuration.requestPoolSize = values.integer("-reqPoolSize")
        configuration.maximumConnections = values.integer("-maxConnections")
        configuration.requestTimeout = values.integer("-reqTimeout")
        configuration.disableMetrics = values.flag("-disableMetrics")
        configuration.statCounters = values.flag("-statCounters")
        configuration.statSemWait = values.flag("-statSemWait")
        configuration.statTiming = values.flag("-statTiming")

        // Notifications, checked in Orion's order: the mode, then the flow control that needs a thread pool.
        var notifications = NotificationSettings()
        switch NotificationMode.parse(values.string("-notificationMode") ?? "transient") {
        case .success(let mode): notifications.mode = mode
        case .failure(let failure): throw failure
        }
        if let text = values.string("-notifFlowControl"), !text.isEmpty {
            guard case .threadpool = notifications.mode else {
                throw .fatal(
                    "Fatal Error ('-notifFlowControl' must be used in combination with threadpool notification mode)")
            }
            switch NotificationFlowControl.parse(text) {
            case .success(let flowControl): notifications.flowControl = flowControl
            case .failure(let failure): throw failure
            }
        }
        notifications.httpTimeout = values.integer("-httpTimeout")
        notifications.mqttTimeout = values.integer("-mqttTimeout")
        notifications.kafkaTimeout = values.integer("-kafkaTimeout")
        notifications.mqttMaxAge = values.integer("-mqttMaxAge")
        notifications.kafkaMaxAge = values.integer("-kafkaMaxAge")
        notifications.subscriptionCacheInterval = values.integer("-subCacheIval")
        notifications.noCache = values.flag("-noCache")
        notifications.forwardLimit = values.integer("-cprForwardLimit")
        notifications.simulated = values.flag("-simulatedNotification")
        notifications.disableCustomNotifications = values.flag("-disableCustomNotifications")
        notifications.insecure = values.flag("-insecureNotif")
        notifications.outgoingMessageMaximum = values.integer("-outReqMsgMaxSize")
        notifications.statNotifQueue = values.flag("-statNotifQueue")
        notifications.retries = values.integer("-notifRetries")
        notifications.outbox = values.flag("-notifOutbox")
        configuration.notifications = notifications
        return configuration
    }

    /// The one warning line of an ignored MongoDB option.
    static func ignoredWarning(_ name: String, _ what: String) -> String {
        "\(name) is \(what), ignored: Atrium keeps its data in SQLite (use -dbURI sqlite:///path/file.sqlite)"
    }
}
