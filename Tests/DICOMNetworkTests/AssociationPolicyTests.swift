import DICOMNetwork
import Testing

/// Negotiation as an acceptor (PS3.8 §9.3.3, PS3.7 Annex D.3.3), with Orthanc's switches.
@Suite struct AssociationPolicyTests {
    static let ct = "1.2.840.10008.5.1.4.1.1.2"
    static let jpegBaseline = "1.2.840.10008.1.2.4.50"

    static func policy() -> AssociationPolicy {
        AssociationPolicy(
            applicationEntityTitle: "ATRIUM", abstractSyntaxes: [AssociationPolicy.verification],
            storageSOPClasses: [ct], acceptedTransferSyntaxes: ["1.2.840.10008.1.*"], maximumPDULength: 16384)
    }

    static func request(called: String = "ATRIUM", contexts: [ProposedPresentationContext]) -> AssociateRequest {
        var information = UserInformation()
        information.maximumLength = 32768
        information.implementationClassUID = "1.2.3"
        return AssociateRequest(
            calledAETitle: called, callingAETitle: "MODALITY", presentationContexts: contexts,
            userInformation: information)
    }

    @Test func acceptsKnownSyntaxesAndPrefersExplicitLittleEndian() throws {
        let outcome = Self.policy().negotiate(
            Self.request(contexts: [
                ProposedPresentationContext(
                    id: 1, abstractSyntax: Self.ct,
                    transferSyntaxes: ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1", Self.jpegBaseline]),
                ProposedPresentationContext(
                    id: 3, abstractSyntax: "1.2.3.4.5", transferSyntaxes: ["1.2.840.10008.1.2"]),
                ProposedPresentationContext(id: 5, abstractSyntax: Self.ct, transferSyntaxes: ["1.2.840.10008.1.2.5"]),
                ProposedPresentationContext(id: 7, abstractSyntax: Self.ct, transferSyntaxes: ["9.9"]),
            ]), remoteAddress: "127.0.0.1")
        guard case .accept(let accept, let association) = outcome else {
            Issue.record("rejected")
            return
        }
        #expect(
            accept.presentationContexts.map(\.result) == [
                .acceptance, .abstractSyntaxNotSupported, .acceptance, .abstractSyntaxNotSupported,
            ])
        #expect(accept.presentationContexts[0].transferSyntax == "1.2.840.10008.1.2.1")
        // RLE matches the 1.2.840.10008.1.* pattern.
        #expect(accept.presentationContexts[2].transferSyntax == "1.2.840.10008.1.2.5")
        #expect(accept.userInformation.maximumLength == 16384)
        #expect(association.peerMaximumPDULength == 32768)
        #expect(Set(association.contexts.keys) == [1, 5])
    }

    /// How a context without an acceptable transfer syntax is refused, as Orthanc 1.10.1 refuses it (observed with
    /// pynetdicom): 4 for the other services and for unknown SOP classes while some storage syntax is accepted, 3 for
    /// registered storage classes and for unknown ones when no storage syntax is accepted.
    @Test(arguments: [
        // (abstract syntax, accepted storage syntaxes, unknown SOP classes accepted, expected result)
        (
            ct, ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1"], false,
            PresentationContextResult.Result.abstractSyntaxNotSupported
        ),
        (ct, ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1"], true, .abstractSyntaxNotSupported),
        (ct, [], true, .abstractSyntaxNotSupported),
        (AssociationPolicy.verification, ["1.2.840.10008.1.2"], false, .transferSyntaxesNotSupported),
        (AssociationPolicy.verification, [], false, .transferSyntaxesNotSupported),
        ("1.2.840.10008.5.1.4.1.1.9999", ["1.2.840.10008.1.2"], false, .abstractSyntaxNotSupported),
        ("1.2.840.10008.5.1.4.1.1.9999", ["1.2.840.10008.1.2"], true, .transferSyntaxesNotSupported),
        ("1.2.826.0.1.3680043.8.498.1.1", [jpegBaseline], true, .transferSyntaxesNotSupported),
        ("1.2.840.10008.5.1.4.1.1.9999", [], true, .abstractSyntaxNotSupported),
    ])
    func refusalsFollowOrthanc(
        abstractSyntax: String, accepted: [String], unknownAccepted: Bool, expected: PresentationContextResult.Result
    ) {
        var policy = Self.policy()
        policy.acceptedTransferSyntaxes = accepted
        policy.acceptsUnknownSOPClasses = unknownAccepted
        let outcome = policy.negotiate(
            Self.request(contexts: [
                ProposedPresentationContext(
                    id: 1, abstractSyntax: abstractSyntax, transferSyntaxes: ["1.2.840.10008.1.2.4.90"])
            ]), remoteAddress: "")
        guard case .accept(let accept, _) = outcome else {
            Issue.record("rejected")
            return
        }
        #expect(accept.presentationContexts.map(\.result) == [expected])
    }

    @Test func patternsRestrictStorageSyntaxes() {
        var policy = Self.policy()
        policy.acceptedTransferSyntaxes = ["1.2.840.10008.1.2.4.5?"]
        let outcome = policy.negotiate(
            Self.request(contexts: [
                ProposedPresentationContext(
                    id: 1, abstractSyntax: Self.ct, transferSyntaxes: ["1.2.840.10008.1.2.1", Self.jpegBaseline])
            ]), remoteAddress: "")
        guard case .accept(let accept, _) = outcome else {
            Issue.record("rejected")
            return
        }
        #expect(accept.presentationContexts[0].transferSyntax == Self.jpegBaseline)
    }

    @Test func checksTheCalledTitleOnlyWhenAsked() {
        var policy = Self.policy()
        let wrongTitle = Self.request(
            called: "SOMEONE",
            contexts: [
                ProposedPresentationContext(
                    id: 1, abstractSyntax: AssociationPolicy.verification, transferSyntaxes: ["1.2.840.10008.1.2"])
            ])
        guard case .accept = policy.negotiate(wrongTitle, remoteAddress: "") else {
            Issue.record("rejected without DicomCheckCalledAet")
            return
        }
        policy.checksCalledAETitle = true
        guard case .reject(let rejection) = policy.negotiate(wrongTitle, remoteAddress: "") else {
            Issue.record("accepted a wrong called AE title")
            return
        }
        #expect(rejection == .calledAETitleNotRecognized)
        let lowerCase = Self.request(
            called: "atrium", contexts: wrongTitle.presentationContexts)
        guard case .accept = policy.negotiate(lowerCase, remoteAddress: "") else {
            Issue.record("titles compare case-insensitively unless StrictAetComparison")
            return
        }
        policy.strictAETitleComparison = true
        guard case .reject = policy.negotiate(lowerCase, remoteAddress: "") else {
            Issue.record("StrictAetComparison ignored")
            return
        }
    }

    @Test func theScreenHasTheLastWord() {
        var policy = Self.policy()
        policy.screen = { request, _ in request.callingAETitle == "MODALITY" ? .callingAETitleNotRecognized : nil }
        guard case .reject(let rejection) = policy.negotiate(Self.request(contexts: []), remoteAddress: "") else {
            Issue.record("screen ignored")
            return
        }
        #expect(rejection == .callingAETitleNotRecognized)
    }

    @Test func unknownApplicationContextIsRejected() {
        var request = Self.request(contexts: [])
        request.applicationContext = "1.2.3"
        guard case .reject(let rejection) = Self.policy().negotiate(request, remoteAddress: "") else {
            Issue.record("accepted")
            return
        }
        #expect(rejection == .applicationContextNotSupported)
    }
}

/// An SCP that reports a storage commitment result opens an association with the SCP role (PS3.4 §J.3.3).
@Suite struct StorageCommitmentRoleTests {
    @Test func theSCPRoleIsGrantedForStorageCommitment() throws {
        var policy = AssociationPolicyTests.policy()
        policy.abstractSyntaxes.insert(StorageCommitment.sopClassUID)
        var request = AssociationPolicyTests.request(contexts: [
            ProposedPresentationContext(
                id: 1, abstractSyntax: StorageCommitment.sopClassUID, transferSyntaxes: ["1.2.840.10008.1.2"])
        ])
        request.userInformation.roleSelections = [
            RoleSelection(sopClassUID: StorageCommitment.sopClassUID, scuRole: false, scpRole: true),
            RoleSelection(sopClassUID: "1.2.840.10008.1.1", scuRole: false, scpRole: true),
        ]
        guard case .accept(let accept, _) = policy.negotiate(request, remoteAddress: "127.0.0.1") else {
            Issue.record("rejected")
            return
        }
        #expect(accept.presentationContexts.map(\.result) == [.acceptance])
        #expect(accept.userInformation.roleSelections.map(\.scpRole) == [true, false])
    }
}
