import Testing

@testable import ContextBroker

@Suite struct OrionCommandLineTests {
    let commandLine = OrionCommandLine(version: "9.9.9")

    func parse(_ arguments: [String], environment: [String: String] = [:]) throws -> BrokerConfiguration {
        try commandLine.configuration(arguments, environment: environment)
    }

    func refusal(_ arguments: [String], environment: [String: String] = [:]) -> OrionCommandLineFailure? {
        do {
            _ = try commandLine.configuration(arguments, environment: environment)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Orion's own command lines

    @Test func startsWithOrionsTestHarnessCommandLine() throws {
        let configuration = try parse(
            "-harakiri -port 1026 -pidpath /tmp/orion_1026.pid -dbURI mongodb://localhost:27017 -db ftest -dbPoolSize 10 -t 0-255 -logLevel DEBUG -notificationMode threadpool:200:20"
                .split(separator: " ").map(String.init))
        #expect(configuration.harakiri)
        #expect(configuration.port == 1026)
        #expect(configuration.pidPath == "/tmp/orion_1026.pid")
        #expect(configuration.databaseName == "ftest")
        #expect(configuration.databaseFile == nil)
        #expect(configuration.logLevel == "DEBUG")
        #expect(configuration.logging.traceLevels.description == "0-255")
        #expect(configuration.notifications.mode == .threadpool(queueSize: 200, workers: 20, services: []))
        #expect(configuration.ignoredOptionWarnings.count == 2)
        #expect(configuration.ignoredOptionWarnings[0].hasPrefix("-dbURI is a MongoDB URI, ignored"))
        #expect(configuration.ignoredOptionWarnings[1].hasPrefix("-dbPoolSize is a MongoDB setting, ignored"))
    }

    @Test func startsWithTheDockerAndServiceLines() throws {
        // Orion's Docker image: ENTRYPOINT contextBroker -fg -multiservice -disableFileLog, then the user's flags.
        let docker = try parse(["-fg", "-multiservice", "-disableFileLog", "-dbURI", "mongodb://mongo:27017"])
        #expect(docker.logging.foreground && !docker.logging.forHumans && !docker.logging.toFile && docker.multiservice)
        #expect(docker.ignoredOptionWarnings.count == 1)
        let service = try parse(["-port", "1026", "-logDir", "/var/log/contextBroker", "-pidpath", "/var/run/cb.pid"])
        #expect(service.logging.filePath == "/var/log/contextBroker/contextBroker.log")
        #expect(service.parseNotices == ["log directory: '/var/log/contextBroker'"])
    }

    @Test func defaultsAreOrions() throws {
        let configuration = try parse([])
        #expect(configuration.port == 1026)
        #expect(configuration.host == "::" && configuration.alternativeHost == "0.0.0.0")
        #expect(configuration.pidPath == "/tmp/contextBroker.pid")
        #expect(configuration.logging.filePath == "/tmp/contextBroker.log")
        #expect(configuration.logLevel == "WARN")
        #expect(configuration.mutexPolicy == .all)
        #expect(configuration.payloadMaximum == 1_048_576)
        #expect(configuration.logging.lineMaxSize == 32768 && configuration.logging.infoPayloadMaxSize == 5120)
        #expect(configuration.notifications == NotificationSettings())
        #expect(configuration.cors == nil && configuration.tls == nil && !configuration.harakiri)
    }

    // MARK: - Syntax

    @Test func takesAValueGluedToTheOptionName() throws {
        #expect(try parse(["-port1030"]).port == 1030)
    }

    @Test func readsIntegersAsParseArgsDoes() {
        #expect(OrionCommandLine.integer("1k") == 1024)
        #expect(OrionCommandLine.integer("2M") == 2 * 1024 * 1024)
        #expect(OrionCommandLine.integer("0x10") == 16)
        #expect(OrionCommandLine.integer("010") == 8)
        #expect(OrionCommandLine.integer("-1") == -1)
        #expect(OrionCommandLine.integer("0") == 0)
        #expect(OrionCommandLine.integer("12a") == nil)
        #expect(OrionCommandLine.integer("") == nil)
    }

    @Test func unknownOptionPrintsItThenTheUsageAndExitsZero() throws {
        let failure = try #require(refusal(["-notAnOption"]))
        #expect(failure.status == 0)
        #expect(
            failure.standardOutput.hasPrefix(
                "option '-notAnOption' not recognized\n\nUsage: contextBroker  [option '-U'"))
        #expect(failure.standardError.isEmpty)
        let parameter = try #require(refusal(["stray"]))
        #expect(parameter.standardOutput.hasPrefix("parameter 'stray' not recognized\n\n"))
    }

    @Test func aFlagGluedToTextIsNotRecognized() throws {
        let failure = try #require(refusal(["-multiserviceXXX"]))
        #expect(failure.standardOutput.hasPrefix("option '-multiserviceXXX' not recognized\n\n"))
    }

    @Test(arguments: ["-dbhost", "-rplSet", "-dbuser", "-dbAuthDb", "-dbTimeout", "-dbAuthMech"])
    func optionsRemovedInOrion4AreRefusedAsOrionRefusesThem(name: String) throws {
        // Orion 4 removed them; its parser reads `-dbhost` as `-db` glued to `host`, then refuses the value.
        let failure = try #require(refusal([name, "value"]))
        #expect(failure.status == 0)
        let first = failure.standardOutput.split(separator: "\n").first.map(String.init)
        #expect(first == "parameter 'value' not recognized" || first == "option '\(name)' not recognized")
    }

    @Test func removedFlagsThatReadAsALongDatabaseNameAreFatal() throws {
        let failure = try #require(refusal(["-dbDisableRetryWrites"]))
        #expect(failure == .fatal("dbName too long (max 10 characters)"))
    }

    @Test func missingValue() throws {
        let failure = try #require(refusal(["-port"]))
        #expect(failure.standardOutput.hasPrefix("option '-port' <port to listen on> requires an int\n\n"))
        let next = try #require(refusal(["-db", "-fg"]))
        #expect(
            next.standardOutput.hasPrefix(
                "option '-db' <database name, and prefix of the tenant databases> requires a string"))
    }

    @Test func badInteger() throws {
        let failure = try #require(refusal(["-port", "abc"]))
        #expect(failure.status == 0)
        #expect(failure.standardOutput.hasPrefix("bad string in integer conversion: 'abc'\n\nUsage:"))
    }

    @Test func multipleUse() throws {
        let failure = try #require(refusal(["-port", "1", "-port", "2"]))
        #expect(failure.standardOutput.hasPrefix("multiple use of option '-port'\n\n"))
    }

    // MARK: - Limits

    @Test(arguments: [
        ("-port", "0", "1 <= 0 <= 65535"), ("-port", "65536", "1 <= 65536 <= 65535"),
        ("-dbPoolSize", "10001", "1 <= 10001 <= 10000"), ("-writeConcern", "2", "0 <= 2 <= 1"),
        ("-corsMaxAge", "-2", "-1 <= -2 <= 86400"), ("-subCacheIval", "3601", "0 <= 3601 <= 3600"),
        ("-connectionMemory", "1025", "0 <= 1025 <= 1024"), ("-reqPoolSize", "1025", "0 <= 1025 <= 1024"),
        ("-httpTimeout", "1800001", "-1 <= 1800001 <= 1800000"), ("-mqttTimeout", "-2", "-1 <= -2 <= 1800000"),
        ("-kafkaTimeout", "1800001", "-1 <= 1800001 <= 1800000"), ("-logSummary", "2678401", "0 <= 2678401 <= 2678400"),
        ("-maxConnections", "0", "0 >= 1"), ("-logLineMaxSize", "99", "99 >= 100"), ("-reqTimeout", "-1", "-1 >= 0"),
    ])
    func valueOutsideItsLimits(name: String, value: String, bounds: String) throws {
        let failure = try #require(refusal([name, value]))
        #expect(failure.status == 0)
        let expected =
            "contextBroker: value \(value) for option '\(name)' not within limits\n"
            + "               \(bounds) (command line argument)\n\nUsage: contextBroker "
        #expect(failure.standardOutput.hasPrefix(expected))
    }

    @Test(arguments: [
        ("-port", "1"), ("-port", "65535"), ("-corsMaxAge", "-1"), ("-httpTimeout", "1800000"), ("-subCacheIval", "0"),
        ("-logLineMaxSize", "100"), ("-writeConcern", "0"), ("-cprForwardLimit", "0"),
    ])
    func valueAtItsLimits(name: String, value: String) throws {
        _ = try parse([name, value])
    }

    @Test func logLevelMustBeOneOfOrions() throws {
        for level in OrionCommandLine.logLevels { #expect(try parse(["-logLevel", level]).logLevel == level) }
        let failure = try #require(refusal(["-logLevel", "VERBOSE"]))
        #expect(failure.status == 0)
        #expect(
            failure.standardOutput.hasPrefix("contextBroker: 'VERBOSE' is not a valid value for option '-logLevel'"))
    }

    @Test func traceLevelsNeedDebug() throws {
        let failure = try #require(refusal(["-t", "0-255"]))
        #expect(failure.status == 0)
        #expect(
            failure.standardOutput.hasPrefix(
                "incompatible options: traceLevels cannot be used without setting -logLevel to DEBUG\nUsage: "))
        #expect(try parse(["-t", "1,2,5-7", "-logLevel", "DEBUG"]).logging.traceLevels.description == "1-2,5-7")
    }

    @Test(arguments: ["256", "5-3", "1,,2", "a", "1-2-3", "-1"])
    func badTraceLevels(text: String) throws {
        let failure = try #require(refusal(["-t", text, "-logLevel", "DEBUG"]))
        #expect(failure.standardOutput.contains("is not a valid value for option '-t'"))
    }

    // MARK: - Checks after parsing

    @Test func databaseNameIsAtMostTenCharacters() throws {
        #expect(try parse(["-db", "0123456789"]).databaseName == "0123456789")
        #expect(refusal(["-db", "01234567890"]) == .fatal("dbName too long (max 10 characters)"))
    }

    @Test func ipv4AndIPv6AreExclusive() throws {
        #expect(try parse(["-ipv4"]).host == "0.0.0.0")
        #expect(try parse(["-ipv6"]).host == "::")
        #expect(try parse(["-ipv6"]).alternativeHost == nil)
        #expect(try parse(["-localIp", "127.0.0.1"]).host == "127.0.0.1")
        let failure = try #require(refusal(["-ipv4", "-ipv6"]))
        #expect(failure.status == 1)
        #expect(
            failure.standardError
                == "Fatal Error (-ipv4 and -ipv6 can not be activated at the same time. They are incompatible)\n")
    }

    @Test func httpsNeedsKeyAndCertificate() throws {
        #expect(
            refusal(["-https", "-cert", "c.pem"])
                == .fatal("Fatal Error (when option '-https' is used, option '-key' is mandatory)"))
        #expect(
            refusal(["-https", "-key", "k.pem"])
                == .fatal("Fatal Error (when option '-https' is used, option '-cert' is mandatory)"))
        let tls = try #require(try parse(["-https", "-key", "k.pem", "-cert", "c.pem"]).tls)
        #expect(tls.privateKeyPath == "k.pem" && tls.certificatePath == "c.pem")
        #expect(try parse(["-key", "k.pem", "-cert", "c.pem"]).tls == nil)
    }

    @Test func flowControlNeedsAThreadPool() throws {
        #expect(
            refusal(["-notifFlowControl", "0.5:10:100"])
                == .fatal(
                    "Fatal Error ('-notifFlowControl' must be used in combination with threadpool notification mode)"))
        let configuration = try parse(["-notificationMode", "threadpool", "-notifFlowControl", "0.5:10:100"])
        #expect(
            configuration.notifications.flowControl
                == NotificationFlowControl(gauge: 0.5, stepDelay: 10, maxInterval: 100))
    }

    @Test func corsOrigin() throws {
        #expect(try parse(["-corsOrigin", "__ALL"]).cors == CORSPolicy(origin: "__ALL", maxAge: 86400))
        #expect(
            try parse(["-corsOrigin", "a.example", "-corsMaxAge", "600"]).cors
                == CORSPolicy(origin: "a.example", maxAge: 600))
        #expect(try parse(["-corsMaxAge", "600"]).cors == nil)
    }

    @Test func mutexPolicyTakesAnyValueAndUnknownMeansAll() throws {
        #expect(try parse(["-reqMutexPolicy", "none"]).mutexPolicy == .none)
        #expect(try parse(["-reqMutexPolicy", "read"]).mutexPolicy == .read)
        #expect(try parse(["-reqMutexPolicy", "sometimes"]).mutexPolicy == .all)
    }

    @Test func sqliteURIKeepsWorking() throws {
        let configuration = try parse(["-dbURI", "sqlite:///tmp/x/orion.sqlite"])
        #expect(configuration.databaseFile == "/tmp/x/orion.sqlite")
        #expect(configuration.ignoredOptionWarnings.isEmpty)
        #expect(refusal(["-dbURI", "sqlite://relative.sqlite"]) != nil)
        #expect(refusal(["-dbURI", "redis://x"])?.status == 1)
    }

    @Test(arguments: ["-dbpwd", "-dbPoolSize", "-writeConcern"])
    func mongoDBOptionsAreIgnoredWithOneWarning(name: String) throws {
        let value = name == "-dbpwd" ? "secret" : "1"
        let configuration = try parse([name, value])
        #expect(configuration.ignoredOptionWarnings.count == 1)
        #expect(configuration.ignoredOptionWarnings[0].hasPrefix("\(name) is a MongoDB setting, ignored"))
        #expect(!configuration.ignoredOptionWarnings[0].contains("secret"))
    }

    @Test func keepsAtriumsDataFolder() throws {
        let configuration = try parse(["-dataFolder", "/srv/broker", "-db", "x"])
        #expect(configuration.databasePath(tenant: "") == "/srv/broker/x.sqlite")
    }

    @Test func storesEveryNotificationOption() throws {
        let configuration = try parse(
            ("-httpTimeout 1000 -mqttTimeout 2000 -kafkaTimeout 3000 -mqttMaxAge 5 -kafkaMaxAge 6 -subCacheIval 0 "
                + "-noCache -cprForwardLimit 0 -simulatedNotification -disableCustomNotifications -insecureNotif "
                + "-outReqMsgMaxSize 1024 -statNotifQueue -notificationMode persistent")
                .split(separator: " ").map(String.init))
        var expected = NotificationSettings()
        expected.mode = .persistent
        expected.httpTimeout = 1000
        expected.mqttTimeout = 2000
        expected.kafkaTimeout = 3000
        expected.mqttMaxAge = 5
        expected.kafkaMaxAge = 6
        expected.subscriptionCacheInterval = 0
        expected.noCache = true
        expected.forwardLimit = 0
        expected.simulated = true
        expected.disableCustomNotifications = true
        expected.insecure = true
        expected.outgoingMessageMaximum = 1024
        expected.statNotifQueue = true
        #expect(configuration.notifications == expected)
    }

    @Test func logOptions() throws {
        let configuration = try parse(
            [
                "-logDir", "/var/log/cb/", "-logAppend", "-logLineMaxSize", "200", "-logInfoPayloadMaxSize", "10",
                "-logDeprecate",
            ])
        #expect(configuration.logging.filePath == "/var/log/cb/contextBroker.log")
        #expect(configuration.logging.append && configuration.logging.lineMaxSize == 200)
        #expect(configuration.logging.infoPayloadMaxSize == 10 && configuration.logging.deprecate)
    }

    @Test func everyOptionIsAccepted() throws {
        let values = ["-logLevel": "INFO", "-dbURI": "mongodb://h", "-notificationMode": "persistent"]
        let alone = ["-u", "-U", "--version", "--help", "-t", "-https", "-ipv4", "-ipv6", "-notifFlowControl"]
        for option in OrionOption.all where !alone.contains(option.name) {
            var arguments = [option.name]
            switch option.kind {
            case .flag: break
            case .string: arguments.append(values[option.name] ?? "x")
            case .integer(_, let defaultValue, _, _): arguments.append(String(defaultValue))
            }
            _ = try parse(arguments)
        }
    }

    // MARK: - Environment

    @Test func environmentVariablesSetOptions() throws {
        let configuration = try parse(
            [],
            environment: [
                "ORION_PORT": "1999", "ORION_MONGO_URI": "mongodb://mongo:27017", "ORION_NOTIF_MODE": "threadpool:10:2",
                "ORION_LOG_LEVEL": "INFO", "ORION_TRQ_POOL_SIZE": "8", "ORION_MULTI_SERVICE": "TRUE",
                "ORION_MONGO_DB": "envdb", "ORION_CORS_ALLOWED_ORIGIN": "__ALL", "ORION_LOG_DIR": "/var/log",
                "ORION_FOREGROUND": "true", "ORION_DISABLE_FILE_LOG": "false",
            ])
        #expect(configuration.port == 1999)
        #expect(configuration.notifications.mode == .threadpool(queueSize: 10, workers: 2, services: []))
        #expect(configuration.logLevel == "INFO")
        #expect(configuration.requestPoolSize == 8)
        #expect(configuration.multiservice && configuration.logging.foreground && configuration.logging.toFile)
        #expect(configuration.databaseName == "envdb")
        #expect(configuration.cors?.origin == "__ALL")
        #expect(configuration.logging.directory == "/var/log")
        #expect(configuration.parseNotices.isEmpty)
        #expect(configuration.ignoredOptionWarnings.count == 1)
    }

    @Test func commandLineWinsOverEnvironment() throws {
        let configuration = try parse(["-port", "1900"], environment: ["ORION_PORT": "1999"])
        #expect(configuration.port == 1900)
    }

    @Test func environmentValuesAreCheckedToo() throws {
        let failure = try #require(refusal([], environment: ["ORION_PORT": "0"]))
        #expect(
            failure.standardOutput.hasPrefix(
                "contextBroker: value 0 for option '-port' not within limits\n               1 <= 0 <= 65535 (environment variable)"
            ))
        let bad = try #require(refusal([], environment: ["ORION_PORT": "x"]))
        #expect(bad.standardOutput.hasPrefix("bad string in integer conversion: 'x'"))
    }

    @Test func removedOptionsVariablesAreIgnored() throws {
        _ = try parse([], environment: ["ORION_MONGO_HOST": "mongo", "ORION_MONGO_REPLICA_SET": "rs"])
    }

    // MARK: - Usage, version, help

    @Test func usageListsBuiltinsThenOptionsAndExitsZero() throws {
        let failure = try #require(refusal(["-u"]))
        #expect(failure.status == 0)
        let lines = failure.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "Usage: contextBroker  [option '-U' (extended usage)]")
        #expect(lines[1] == "                      [option '-u' (usage)]")
        #expect(lines[2] == "                      [option '--version' (show version)]")
        #expect(lines[7] == String(repeating: " ", count: 21))
        #expect(lines[8] == "                      [option '-fg' (log to standard output too)]")
        #expect(!failure.standardOutput.contains("-harakiri"))
        #expect(failure.standardOutput.hasSuffix("]\n\n"))
    }

    @Test func extendedUsageShowsValuesAndOriginsAndExitsOne() throws {
        let failure = try #require(refusal(["-port", "1900", "-U"], environment: ["ORION_MONGO_DB": "e"]))
        #expect(failure.status == 1)
        let port = try #require(failure.standardOutput.split(separator: "\n").first { $0.contains("'-port'") })
        #expect(port.contains("ORION_PORT"))
        #expect(port.contains("1 <= 1900 /1026/ <= 65535"))
        #expect(port.hasSuffix("(command line argument)"))
        let db = try #require(failure.standardOutput.split(separator: "\n").first { $0.contains("'-db' ") })
        #expect(db.contains("'e' /'orion'/") && db.hasSuffix("(environment variable)"))
        #expect(failure.standardOutput.hasPrefix("Extended Usage: contextBroker "))
    }

    @Test func versionNamesAtriumAndExitsZero() throws {
        let failure = try #require(refusal(["--version"]))
        #expect(failure.status == 0)
        #expect(failure.standardOutput.hasPrefix("9.9.9 (git version: nogitversion)\n"))
        #expect(failure.standardOutput.hasSuffix("\n\nAtrium\n"))
        #expect(!failure.standardOutput.contains("Orion Context Broker"))
    }

    @Test func singleDashVersionIsNotAnOptionAsInOrion() throws {
        let failure = try #require(refusal(["-version"]))
        #expect(failure.standardOutput.hasPrefix("option '-version' not recognized"))
    }

    @Test func helpExitsOne() throws {
        let failure = try #require(refusal(["--help"]))
        #expect(failure.status == 1)
        #expect(failure.standardOutput.hasPrefix("Usage: contextBroker [options]\nOptions:\n"))
    }
}
