import NIOCore

/// A protocol data unit of the DICOM upper layer (PS3.8 §9.3).
package enum PDU: Sendable, Equatable {
    case associateRequest(AssociateRequest)
    case associateAccept(AssociateAccept)
    case associateReject(AssociateReject)
    /// P-DATA-TF: presentation data values.
    case data([PresentationDataValue])
    case releaseRequest
    case releaseResponse
    case abort(AbortReason)

    /// The PDU type byte (PS3.8 Table 9-11 and the tables that follow it).
    package var typeCode: UInt8 {
        switch self {
        case .associateRequest: 0x01
        case .associateAccept: 0x02
        case .associateReject: 0x03
        case .data: 0x04
        case .releaseRequest: 0x05
        case .releaseResponse: 0x06
        case .abort: 0x07
        }
    }
}

/// The presentation context a requestor proposes (PS3.8 §9.3.2.2): an abstract syntax and the transfer syntaxes it
/// can be sent in.
package struct ProposedPresentationContext: Sendable, Equatable {
    package var id: UInt8
    package var abstractSyntax: String
    package var transferSyntaxes: [String]

    package init(id: UInt8, abstractSyntax: String, transferSyntaxes: [String]) {
        self.id = id
        self.abstractSyntax = abstractSyntax
        self.transferSyntaxes = transferSyntaxes
    }
}

/// An SCP/SCU role selection sub-item (PS3.7 §D.3.3.4): whether the requestor takes the SCU and SCP roles for a
/// SOP class.
package struct RoleSelection: Sendable, Equatable {
    package var sopClassUID: String
    package var scuRole: Bool
    package var scpRole: Bool

    package init(sopClassUID: String, scuRole: Bool, scpRole: Bool) {
        self.sopClassUID = sopClassUID
        self.scuRole = scuRole
        self.scpRole = scpRole
    }
}

/// A user identity negotiation request (PS3.7 §D.3.3.7).
package struct UserIdentity: Sendable, Equatable {
    /// 1 username, 2 username and passcode, 3 Kerberos, 4 SAML, 5 JWT.
    package var type: UInt8
    package var positiveResponseRequested: Bool
    package var primaryField: [UInt8]
    package var secondaryField: [UInt8]

    package init(type: UInt8, positiveResponseRequested: Bool, primaryField: [UInt8], secondaryField: [UInt8]) {
        self.type = type
        self.positiveResponseRequested = positiveResponseRequested
        self.primaryField = primaryField
        self.secondaryField = secondaryField
    }
}

/// The user information item shared by A-ASSOCIATE-RQ and -AC (PS3.8 §9.3.2.3, PS3.7 Annex D.3.3).
package struct UserInformation: Sendable, Equatable {
    /// The largest P-DATA-TF variable field the sender receives (0: no limit).
    package var maximumLength: UInt32 = 0
    package var implementationClassUID = ""
    package var implementationVersionName: String?
    /// Maximum operations invoked and performed (PS3.7 §D.3.3.3), when negotiated.
    package var asynchronousOperationsWindow: (invoked: UInt16, performed: UInt16)?
    package var roleSelections: [RoleSelection] = []
    /// A-ASSOCIATE-RQ only.
    package var userIdentity: UserIdentity?
    /// A-ASSOCIATE-AC only: the server response to a user identity request (PS3.7 §D.3.3.7.2).
    package var userIdentityResponse: [UInt8]?
    /// Sub-items Atrium does not interpret (extended negotiation, …), type and value, kept in order.
    package var otherItems: [(type: UInt8, value: [UInt8])] = []

    package init() {}

    package static func == (lhs: UserInformation, rhs: UserInformation) -> Bool {
        lhs.maximumLength == rhs.maximumLength && lhs.implementationClassUID == rhs.implementationClassUID
            && lhs.implementationVersionName == rhs.implementationVersionName
            && lhs.asynchronousOperationsWindow?.invoked == rhs.asynchronousOperationsWindow?.invoked
            && lhs.asynchronousOperationsWindow?.performed == rhs.asynchronousOperationsWindow?.performed
            && lhs.roleSelections == rhs.roleSelections && lhs.userIdentity == rhs.userIdentity
            && lhs.userIdentityResponse == rhs.userIdentityResponse
            && lhs.otherItems.map(\.type) == rhs.otherItems.map(\.type)
            && lhs.otherItems.map(\.value) == rhs.otherItems.map(\.value)
    }
}

/// A-ASSOCIATE-RQ (PS3.8 §9.3.2).
package struct AssociateRequest: Sendable, Equatable {
    package var protocolVersion: UInt16 = 1
    package var calledAETitle: String
    package var callingAETitle: String
    package var applicationContext = AssociateRequest.dicomApplicationContext
    package var presentationContexts: [ProposedPresentationContext]
    package var userInformation: UserInformation

    /// The DICOM application context name (PS3.7 Annex A.2.1).
    package static let dicomApplicationContext = "1.2.840.10008.3.1.1.1"

    package init(
        calledAETitle: String, callingAETitle: String, presentationContexts: [ProposedPresentationContext],
        userInformation: UserInformation
    ) {
        self.calledAETitle = calledAETitle
        self.callingAETitle = callingAETitle
        self.presentationContexts = presentationContexts
        self.userInformation = userInformation
    }
}

/// The acceptor's answer to one proposed presentation context (PS3.8 Table 9-18).
package struct PresentationContextResult: Sendable, Equatable {
    package enum Result: UInt8, Sendable {
        case acceptance = 0
        case userRejection = 1
        case noReason = 2
        case abstractSyntaxNotSupported = 3
        case transferSyntaxesNotSupported = 4
    }

    package var id: UInt8
    package var result: Result
    /// The chosen transfer syntax; PS3.8 has it present (and not significant) when the context is rejected.
    package var transferSyntax: String

    package init(id: UInt8, result: Result, transferSyntax: String) {
        self.id = id
        self.result = result
        self.transferSyntax = transferSyntax
    }
}

/// A-ASSOCIATE-AC (PS3.8 §9.3.3).
package struct AssociateAccept: Sendable, Equatable {
    package var protocolVersion: UInt16 = 1
    package var calledAETitle: String
    package var callingAETitle: String
    package var applicationContext = AssociateRequest.dicomApplicationContext
    package var presentationContexts: [PresentationContextResult]
    package var userInformation: UserInformation

    package init(
        calledAETitle: String, callingAETitle: String, presentationContexts: [PresentationContextResult],
        userInformation: UserInformation
    ) {
        self.calledAETitle = calledAETitle
        self.callingAETitle = callingAETitle
        self.presentationContexts = presentationContexts
        self.userInformation = userInformation
    }
}

/// A-ASSOCIATE-RJ (PS3.8 §9.3.4, Table 9-21).
package struct AssociateReject: Sendable, Equatable, Error {
    /// 1 rejected-permanent, 2 rejected-transient.
    package var result: UInt8
    /// 1 service user, 2 service provider (ACSE), 3 service provider (presentation).
    package var source: UInt8
    package var reason: UInt8

    package init(result: UInt8, source: UInt8, reason: UInt8) {
        self.result = result
        self.source = source
        self.reason = reason
    }

    /// Service user: no reason given.
    package static let noReason = AssociateReject(result: 1, source: 1, reason: 1)
    /// Service user: application context name not supported.
    package static let applicationContextNotSupported = AssociateReject(result: 1, source: 1, reason: 2)
    /// Service user: calling AE title not recognized.
    package static let callingAETitleNotRecognized = AssociateReject(result: 1, source: 1, reason: 3)
    /// Service user: called AE title not recognized.
    package static let calledAETitleNotRecognized = AssociateReject(result: 1, source: 1, reason: 7)
    /// Service provider (ACSE): protocol version not supported.
    package static let protocolVersionNotSupported = AssociateReject(result: 1, source: 2, reason: 2)
    /// Service provider (presentation), transient: local limit exceeded.
    package static let localLimitExceeded = AssociateReject(result: 2, source: 3, reason: 2)
}

/// A-ABORT source and reason (PS3.8 §9.3.8, Table 9-26).
package struct AbortReason: Sendable, Equatable, Error {
    /// 0 service user, 2 service provider.
    package var source: UInt8
    /// For the service provider: 0 not specified, 1 unrecognized PDU, 2 unexpected PDU, 4 unrecognized PDU
    /// parameter, 5 unexpected PDU parameter, 6 invalid PDU parameter value.
    package var reason: UInt8

    package init(source: UInt8, reason: UInt8) {
        self.source = source
        self.reason = reason
    }

    package static let serviceUser = AbortReason(source: 0, reason: 0)
    package static let notSpecified = AbortReason(source: 2, reason: 0)
    package static let unrecognizedPDU = AbortReason(source: 2, reason: 1)
    package static let unexpectedPDU = AbortReason(source: 2, reason: 2)
    package static let unrecognizedParameter = AbortReason(source: 2, reason: 4)
    package static let unexpectedParameter = AbortReason(source: 2, reason: 5)
    package static let invalidParameterValue = AbortReason(source: 2, reason: 6)
}
