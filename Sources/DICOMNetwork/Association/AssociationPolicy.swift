import DICOM

/// What an acceptor agrees to (PS3.8 §9.3.3, PS3.7 Annex D.3.3): which abstract and transfer syntaxes, under which
/// AE titles, with which limits; ``negotiate(_:remoteAddress:)`` turns an A-ASSOCIATE-RQ into the A-ASSOCIATE-AC or
/// -RJ to send.
package struct AssociationPolicy: Sendable {
    /// Atrium's AE title.
    package var applicationEntityTitle: String
    /// Refuse a request whose called AE title is not ours (Orthanc's `DicomCheckCalledAet`).
    package var checksCalledAETitle = false
    /// Compare AE titles case-sensitively (Orthanc's `StrictAetComparison`).
    package var strictAETitleComparison = false
    /// The abstract syntaxes accepted whatever the configuration (verification, query/retrieve, commitment).
    package var abstractSyntaxes: Set<String>
    /// The storage SOP classes accepted.
    package var storageSOPClasses: Set<String>
    /// Whether a storage-looking SOP class Atrium does not list is accepted (Orthanc's `UnknownSopClassAccepted`).
    package var acceptsUnknownSOPClasses = false
    /// Patterns (`*`, `?`) of the transfer syntaxes accepted for storage (Orthanc's `AcceptedTransferSyntaxes`).
    package var acceptedTransferSyntaxes: [String]
    /// The largest P-DATA-TF variable field Atrium receives (Orthanc's `MaximumPduLength`).
    package var maximumPDULength: UInt32
    /// A last word on the calling AE title and address, e.g. for known modalities; nil to accept.
    package var screen: (@Sendable (_ request: AssociateRequest, _ remoteAddress: String) -> AssociateReject?)?

    /// The transfer syntaxes Atrium prefers, in order, when a requestor proposes several for a context.
    package static let preferredTransferSyntaxes = [
        "1.2.840.10008.1.2.1",  // Explicit VR Little Endian
        "1.2.840.10008.1.2",  // Implicit VR Little Endian
    ]

    /// Verification (C-ECHO).
    package static let verification = "1.2.840.10008.1.1"

    package init(
        applicationEntityTitle: String, abstractSyntaxes: Set<String>, storageSOPClasses: Set<String>,
        acceptedTransferSyntaxes: [String], maximumPDULength: UInt32
    ) {
        self.applicationEntityTitle = applicationEntityTitle
        self.abstractSyntaxes = abstractSyntaxes
        self.storageSOPClasses = storageSOPClasses
        self.acceptedTransferSyntaxes = acceptedTransferSyntaxes
        self.maximumPDULength = maximumPDULength
    }

    /// The outcome of negotiation.
    package enum Outcome: Sendable {
        case accept(AssociateAccept, EstablishedAssociation)
        case reject(AssociateReject)
    }

    /// Answers an association request.
    package func negotiate(_ request: AssociateRequest, remoteAddress: String) -> Outcome {
        guard request.protocolVersion & 0x0001 != 0 else { return .reject(.protocolVersionNotSupported) }
        guard request.applicationContext == AssociateRequest.dicomApplicationContext else {
            return .reject(.applicationContextNotSupported)
        }
        if checksCalledAETitle, !sameTitle(request.calledAETitle, applicationEntityTitle) {
            return .reject(.calledAETitleNotRecognized)
        }
        if let screen, let rejection = screen(request, remoteAddress) { return .reject(rejection) }
        var results: [PresentationContextResult] = []
        var accepted: [UInt8: AcceptedPresentationContext] = [:]
        for context in request.presentationContexts {
            let result = answer(context)
            results.append(result)
            if result.result == .acceptance {
                accepted[context.id] = AcceptedPresentationContext(
                    id: context.id, abstractSyntax: context.abstractSyntax, transferSyntax: result.transferSyntax)
            }
        }
        var information = UserInformation.atrium(maximumLength: maximumPDULength)
        // The requestor may take the SCP role for storage (C-GET sends its instances back that way) and for storage
        // commitment (an SCP reports its result on an association it opens, PS3.4 §J.3.3).
        var requestorSCPRoles: Set<String> = []
        for role in request.userInformation.roleSelections {
            let isStorage = storageSOPClasses.contains(role.sopClassUID) || acceptsUnknownSOPClasses
            let grantsSCP = isStorage || role.sopClassUID == StorageCommitment.sopClassUID
            information.roleSelections.append(
                RoleSelection(sopClassUID: role.sopClassUID, scuRole: role.scuRole, scpRole: role.scpRole && grantsSCP))
            if role.scpRole && isStorage { requestorSCPRoles.insert(role.sopClassUID) }
        }
        if let identity = request.userInformation.userIdentity, identity.positiveResponseRequested {
            information.userIdentityResponse = []
        }
        let accept = AssociateAccept(
            calledAETitle: request.calledAETitle, callingAETitle: request.callingAETitle,
            presentationContexts: results, userInformation: information)
        let association = EstablishedAssociation(
            callingAETitle: request.callingAETitle, calledAETitle: request.calledAETitle,
            remoteAddress: remoteAddress, contexts: accepted,
            peerMaximumPDULength: request.userInformation.maximumLength, requestorSCPRoles: requestorSCPRoles)
        return .accept(accept, association)
    }

    /// The answer to one proposed context: the abstract syntax must be known, then the first of Atrium's preferred
    /// transfer syntaxes the requestor proposes wins, or else the first proposal Atrium accepts.
    ///
    /// A context with no acceptable transfer syntax is refused as Orthanc 1.10.1 refuses it (checked side by side):
    /// with result 4 (transfer syntaxes not supported) for the services other than storage, and for an unknown SOP
    /// class accepted by `acceptsUnknownSOPClasses` while some transfer syntax is accepted for storage; with result 3
    /// (abstract syntax not supported) for a storage SOP class of the registry, and for an unknown one when no
    /// transfer syntax is accepted for storage.
    func answer(_ context: ProposedPresentationContext) -> PresentationContextResult {
        let isStorage = storageSOPClasses.contains(context.abstractSyntax)
        let isService = !isStorage && abstractSyntaxes.contains(context.abstractSyntax)
        let storageLike =
            context.abstractSyntax.hasPrefix("1.2.840.10008.5.1.4.1.1.")
            || !abstractSyntaxes.contains(context.abstractSyntax)
        guard isStorage || isService || (acceptsUnknownSOPClasses && storageLike) else {
            return refusal(of: context, .abstractSyntaxNotSupported)
        }
        let acceptable = context.transferSyntaxes.filter { syntax in
            // Services other than storage exchange small data sets: the uncompressed syntaxes are enough.
            if isService {
                return Self.preferredTransferSyntaxes.contains(syntax) || syntax == "1.2.840.10008.1.2.2"
            }
            return acceptedTransferSyntaxes.contains { Self.matches(pattern: $0, syntax) }
        }
        let chosen = Self.preferredTransferSyntaxes.first(where: acceptable.contains) ?? acceptable.first
        guard let chosen else {
            let transferSyntaxesRefused = isService || (!isStorage && !acceptedTransferSyntaxes.isEmpty)
            return refusal(
                of: context, transferSyntaxesRefused ? .transferSyntaxesNotSupported : .abstractSyntaxNotSupported)
        }
        return PresentationContextResult(id: context.id, result: .acceptance, transferSyntax: chosen)
    }

    private func refusal(
        of context: ProposedPresentationContext, _ result: PresentationContextResult.Result
    ) -> PresentationContextResult {
        PresentationContextResult(
            id: context.id, result: result,
            transferSyntax: context.transferSyntaxes.first ?? Self.preferredTransferSyntaxes[1])
    }

    func sameTitle(_ left: String, _ right: String) -> Bool {
        strictAETitleComparison ? left == right : left.uppercased() == right.uppercased()
    }

    /// Glob matching of a transfer syntax pattern: `*` any run of characters, `?` any one.
    package static func matches(pattern: String, _ text: String) -> Bool {
        let pattern = Array(pattern.utf8)
        let text = Array(text.utf8)
        var p = 0
        var t = 0
        var star: Int?
        var resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                star = p
                resume = t
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}

extension UserInformation {
    /// What Atrium announces of itself in any association: the largest PDU it receives and its implementation
    /// class UID and version name.
    static func atrium(maximumLength: UInt32) -> UserInformation {
        var information = UserInformation()
        information.maximumLength = maximumLength
        information.implementationClassUID = DICOMFile.implementationClassUID
        information.implementationVersionName = DICOMFile.implementationVersionName
        return information
    }
}
