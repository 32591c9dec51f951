import Foundation

/// A refusal a person can act on. The message is looked up by `code` in the user's language
/// (`error.<code>` in Resources/i18n), with `args` filled into its {placeholders}.
public struct RevisitError: Error, Sendable, Equatable {
    public enum Kind: String, Sendable {
        case badRequest, unauthorized, forbidden, notFound, conflict, validation, tooManyRequests
    }

    public let kind: Kind
    public let code: ErrorCode
    public let field: String?
    public let args: [String: String]
    /// Seconds until a throttled request may be retried.
    public let retryAfter: Int?

    public init(
        _ kind: Kind, code: ErrorCode, field: String? = nil, args: [String: String] = [:], retryAfter: Int? = nil
    ) {
        self.kind = kind
        self.code = code
        self.field = field
        self.args = args
        self.retryAfter = retryAfter
    }

    public static func notFound() -> RevisitError { RevisitError(.notFound, code: .notFound) }
}

/// Every machine-readable error code. A test checks each has a message in every language.
public enum ErrorCode: String, CaseIterable, Sendable {
    case notFound = "not_found"
    case forbidden = "forbidden"
    case unauthorized = "unauthorized"
    case sessionExpired = "session_expired"
    case invalidCredentials = "invalid_credentials"
    case accountLocked = "account_locked"
    case addressLocked = "address_locked"
    case csrfMissing = "csrf_missing"
    case malformedJSON = "malformed_json"
    case malformedForm = "malformed_form"
    case required = "required"
    case tooLong = "too_long"
    case invalidCode = "invalid_code"
    case invalidLogin = "invalid_login"
    case passwordTooShort = "password_too_short"
    case passwordTooLong = "password_too_long"
    case passwordMismatch = "password_mismatch"
    case unknownRole = "unknown_role"
    case unknownTimeZone = "unknown_time_zone"
    case unknownStore = "unknown_store"
    case unknownGroup = "unknown_group"
    case groupRequired = "group_required"
    case storeRequired = "store_required"
    case duplicateCode = "duplicate_code"
    case duplicateLogin = "duplicate_login"
    case cannotDeactivateSelf = "cannot_deactivate_self"
    case invalidValue = "invalid_value"
    case methodNotAllowed = "method_not_allowed"
    case vinLength = "vin_length"
    case vinCharacters = "vin_characters"
    case vinCheckDigit = "vin_check_digit"
    case invalidPhone = "invalid_phone"
    case invalidPlate = "invalid_plate"
    case invalidDate = "invalid_date"
    case tooMany = "too_many"
    case versionConflict = "version_conflict"
    case mergeSelf = "merge_self"
    case mergeAcrossStores = "merge_across_stores"
    case alreadyMerged = "already_merged"
    case duplicateVIN = "duplicate_vin"
    case duplicateOrderNo = "duplicate_order_no"
    case duplicateCustomerNo = "duplicate_customer_no"
    case invalidCursor = "invalid_cursor"
    case importUnreadable = "import_unreadable"
    case importEncoding = "import_encoding"
    case importNotTabular = "import_not_tabular"
    case importMissingColumns = "import_missing_columns"
    case importEmpty = "import_empty"
    case noSegmentRun = "no_segment_run"
    case invalidAmount = "invalid_amount"
    case invalidNumber = "invalid_number"
    case unknownLineKind = "unknown_line_kind"
    case importDuplicateKey = "import_duplicate_key"
    case importSheetMissing = "import_sheet_missing"
    case importTooLarge = "import_too_large"
    case importNoFile = "import_no_file"
    case templateSyntax = "template_syntax"
    case templateUnknownVariable = "template_unknown_variable"
    case duplicateName = "duplicate_name"
    case unknownTemplate = "unknown_template"
    case badSignature = "bad_signature"
    case bulkSendState = "bulk_send_state"
    case noRecipients = "no_recipients"
    case teamHasCustomers = "team_has_customers"
    case ownerConflict = "owner_conflict"
    case internalError = "internal"
}
