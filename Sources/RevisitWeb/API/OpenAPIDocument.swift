import Foundation

/// The OpenAPI 3.1 description of /api/v1, assembled from the operations each API file declares.
enum OpenAPIDocument {
    static let operations: [ApiOperation] =
        [ApiOperation("get", "/api/v1/openapi.json", "This document", tag: "meta", response: "OpenAPI")]
        + MeApi.operations + StoresApi.operations + GroupsApi.operations + UsersApi.operations
        + TokensApi.operations + AuditApi.operations + CustomersApi.operations + VehiclesApi.operations
        + RepairOrdersApi.operations + LookupApi.operations + QualityApi.operations + ImportsApi.operations
        + SegmentsApi.operations + RemindersApi.operations + OwnershipApi.operations + TeamsApi.operations
        + MessagingApi.operations

    static func json() throws -> Data {
        try JSONSerialization.data(withJSONObject: document(), options: [.sortedKeys, .prettyPrinted])
    }

    static func document() -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            paths[operation.path, default: [:]][operation.method] = describe(operation)
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Revisit API",
                "version": "1",
                "description":
                    "After-sales CRM for dealerships. Authenticate with `Authorization: Bearer <token>`; create tokens with `revisit token create` or on your account page. Errors are `{\"error\":{\"code\",\"message\",\"field\"}}`.",
            ],
            "servers": [["url": "/"]],
            "security": [["bearer": [String]()]],
            "paths": paths,
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
                "schemas": schemas,
            ],
        ]
    }

    private static func describe(_ operation: ApiOperation) -> [String: Any] {
        var parameters: [[String: Any]] = []
        if operation.path.contains("{id}") {
            parameters.append([
                "name": "id", "in": "path", "required": true, "schema": ["type": "integer", "format": "int64"],
            ])
        }
        for name in operation.query {
            parameters.append(["name": name, "in": "query", "required": false, "schema": ["type": "string"]])
        }
        var responses: [String: Any] = [:]
        if operation.successStatus == 204 {
            responses["204"] = ["description": "Done"]
        } else {
            responses[String(operation.successStatus)] = [
                "description": "OK", "content": ["application/json": ["schema": schemaRef(operation.response)]],
            ]
        }
        let errors: [(String, String)] = [
            ("400", "Malformed request"), ("401", "Missing or invalid token"), ("403", "Not allowed for this role"),
            ("404", "No such record in the caller's stores"), ("409", "Conflicts with an existing record"),
            ("422", "A field is invalid"),
        ]
        for (status, text) in errors {
            responses[status] = [
                "description": text,
                "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]],
            ]
        }
        var result: [String: Any] = [
            "summary": operation.summary + (operation.adminOnly ? " (administrators)" : ""),
            "operationId": operationId(operation),
            "tags": [operation.tag],
            "parameters": parameters,
            "responses": responses,
        ]
        if operation.path == "/api/v1/openapi.json" { result["security"] = [[String: Any]]() }
        switch operation.request {
        case .none: break
        case .json(let schema):
            result["requestBody"] = [
                "required": true,
                "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(schema)"]]],
            ]
        case .multipart(let schema):
            result["requestBody"] = [
                "required": true,
                "content": ["multipart/form-data": ["schema": ["$ref": "#/components/schemas/\(schema)"]]],
            ]
        }
        return result
    }

    private static func operationId(_ operation: ApiOperation) -> String {
        let words = operation.path.replacingOccurrences(of: "/api/v1/", with: "")
            .replacingOccurrences(of: "{id}", with: "byId").replacingOccurrences(of: ".json", with: "")
            .split(whereSeparator: { $0 == "/" || $0 == "_" || $0 == "." })
        return operation.method + words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    private static func schemaRef(_ name: String) -> [String: Any] {
        if name.hasPrefix("[") {
            return ["type": "array", "items": ["$ref": "#/components/schemas/\(name.dropFirst().dropLast())"]]
        }
        return ["$ref": "#/components/schemas/\(name)"]
    }

    private static func object(_ properties: [String: Any], required: [String] = []) -> [String: Any] {
        var schema: [String: Any] = ["type": "object", "properties": properties]
        if !required.isEmpty { schema["required"] = required }
        return schema
    }

    private static var int64: [String: Any] { ["type": "integer", "format": "int64"] }
    private static var string: [String: Any] { ["type": "string"] }
    private static var bool: [String: Any] { ["type": "boolean"] }
    private static var dateTime: [String: Any] { ["type": "string", "format": "date-time"] }
    private static func nullable(_ type: String, format: String? = nil) -> [String: Any] {
        var schema: [String: Any] = ["type": [type, "null"]]
        if let format { schema["format"] = format }
        return schema
    }
    private static var date: [String: Any] { ["type": ["string", "null"], "format": "date"] }
    private static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }
    private static var segmentsOrNull: [String: Any] { ["oneOf": [ref("CustomerSegments"), ["type": "null"]]] }
    private static var churnStages: [String: Any] {
        ["type": "string", "enum": ["active", "semi_churned", "at_risk", "churned", "lost", "none"]]
    }
    private static func page(_ item: String) -> [String: Any] {
        object(
            ["items": ["type": "array", "items": ref(item)], "nextCursor": nullable("string")],
            required: ["items", "nextCursor"])
    }
    private static var roles: [String: Any] {
        ["type": "string", "enum": ["admin", "group-analyst", "store-manager", "service-advisor", "csr", "marketing"]]
    }

    private static var schemas: [String: Any] {
        [
            "Error": object(
                [
                    "error": object(
                        ["code": string, "message": string, "field": nullable("string")], required: ["code", "message"])
                ], required: ["error"]),
            "Empty": object([:]),
            "OpenAPI": ["type": "object"],
            "Store": object(
                [
                    "id": int64, "code": string, "name": string, "groupId": nullable("integer", format: "int64"),
                    "timeZone": string, "phone": string, "active": bool,
                ], required: ["id", "code", "name", "timeZone", "phone", "active"]),
            "StoreInput": object(
                [
                    "code": string, "name": string, "groupId": int64, "timeZone": string, "phone": string,
                    "active": bool,
                ], required: ["code", "name"]),
            "StorePatch": object([
                "code": string, "name": string, "groupId": int64, "timeZone": string, "phone": string, "active": bool,
            ]),
            "Group": object(["id": int64, "code": string, "name": string], required: ["id", "code", "name"]),
            "GroupInput": object(["code": string, "name": string], required: ["code", "name"]),
            "User": object(
                [
                    "id": int64, "login": string, "name": string, "role": roles,
                    "groupId": nullable("integer", format: "int64"), "storeIds": ["type": "array", "items": int64],
                    "language": ["type": "string", "enum": ["zh-CN", "en"]], "active": bool,
                ], required: ["id", "login", "name", "role", "storeIds", "language", "active"]),
            "UserInput": object(
                [
                    "login": string, "name": string, "role": roles, "groupId": int64,
                    "storeIds": ["type": "array", "items": int64], "language": string,
                    "password": ["type": "string", "minLength": 8, "maxLength": 128],
                ], required: ["login", "name", "role", "password"]),
            "UserPatch": object([
                "login": string, "name": string, "role": roles, "groupId": int64,
                "storeIds": ["type": "array", "items": int64], "language": string,
            ]),
            "PasswordInput": object(
                ["password": ["type": "string", "minLength": 8, "maxLength": 128]], required: ["password"]),
            "ApiToken": object(
                [
                    "id": int64, "userId": int64, "name": string, "prefix": string, "createdAt": dateTime,
                    "lastUsedAt": nullable("string", format: "date-time"),
                    "revokedAt": nullable("string", format: "date-time"),
                ], required: ["id", "userId", "name", "prefix", "createdAt"]),
            "TokenInput": object(["name": string], required: ["name"]),
            "NewApiToken": object(
                ["token": string, "apiToken": ["$ref": "#/components/schemas/ApiToken"]],
                required: ["token", "apiToken"]),
            "AuditEntry": object(
                [
                    "id": int64, "at": dateTime, "userId": nullable("integer", format: "int64"), "login": string,
                    "storeId": nullable("integer", format: "int64"), "action": string, "entityType": string,
                    "entityId": string, "detail": string, "clientAddress": string,
                ], required: ["id", "at", "login", "action", "entityType", "entityId", "detail", "clientAddress"]),
            "Phone": object(
                [
                    "number": string, "kind": ["type": "string", "enum": ["mobile", "home", "office", "other"]],
                    "primary": bool, "valid": bool,
                ],
                required: ["number", "kind", "primary"]),
            "Customer": object(
                [
                    "id": int64, "customerNo": nullable("string"), "name": string,
                    "type": ["type": "string", "enum": ["individual", "company", "government"]],
                    "gender": ["type": "string", "enum": ["male", "female", "unknown"]], "birthday": date,
                    "phones": ["type": "array", "items": ref("Phone")], "address": string, "region": string,
                    "sourceChannel": string, "consentSms": bool, "consentCallback": bool, "consentService": bool,
                    "tags": ["type": "array", "items": string], "notes": string, "licenceReviewDate": date,
                    "ownerId": nullable("integer", format: "int64"),
                    "ownerTeamId": nullable("integer", format: "int64"), "storeId": int64, "storeCode": string,
                    "contacts": [
                        "type": "array",
                        "items": object(["name": string, "title": string, "phone": nullable("string")]),
                    ],
                    "alert": [
                        "type": ["object", "null"],
                        "properties": ["reason": string, "setAt": dateTime, "setBy": string],
                    ],
                    "completeness": ["type": "integer", "minimum": 0, "maximum": 100],
                    "mergedIntoId": nullable("integer", format: "int64"), "version": int64,
                    "segments": segmentsOrNull,
                ], required: ["id", "name", "type", "phones", "storeCode", "completeness", "version", "segments"]),
            "CustomerListItem": object(
                [
                    "id": int64, "customerNo": nullable("string"), "name": string, "type": string,
                    "phones": ["type": "array", "items": ref("Phone")], "ownerId": nullable("integer", format: "int64"),
                    "ownerTeamId": nullable("integer", format: "int64"), "storeId": int64, "storeCode": string,
                    "alert": nullable("string"), "completeness": int64,
                    "tags": ["type": "array", "items": string], "segments": segmentsOrNull,
                ], required: ["id", "name", "type", "phones", "storeCode", "completeness", "segments"]),
            "CustomerPage": page("CustomerListItem"),
            "CustomerInput": object([
                "storeId": int64, "customerNo": string, "type": string, "name": string, "gender": string,
                "birthday": date,
                "phones": [
                    "type": "array",
                    "items": object(["number": string, "kind": string, "primary": bool], required: ["number"]),
                ],
                "address": string, "region": string, "sourceChannel": string, "consentSms": bool,
                "consentCallback": bool, "consentService": bool, "tags": ["type": "array", "items": string],
                "notes": string,
                "licenceReviewDate": date, "ownerId": int64,
                "ownerTeamId": [
                    "type": "integer", "format": "int64",
                    "description": "a team as the owner instead of one advisor (not both; 0 clears)",
                ],
                "contacts": [
                    "type": "array",
                    "items": object(["name": string, "title": string, "phone": string], required: ["name"]),
                ],
                "version": ["type": "integer", "description": "required on PATCH: the version you read"],
            ]),
            "AlertInput": object(["reason": string], required: ["reason"]),
            "Interaction": object(
                [
                    "id": int64, "customerId": int64, "at": dateTime, "kind": string, "summary": string,
                    "userLogin": string,
                ],
                required: ["id", "customerId", "at", "kind", "summary", "userLogin"]),
            "InteractionInput": object(
                ["kind": ["type": "string", "enum": ["call", "sms", "visit", "note"]], "summary": string],
                required: ["summary"]),
            "Vehicle": object(
                [
                    "id": int64, "storeId": int64, "vin": string, "plate": string, "brand": string, "model": string,
                    "trim": string, "colour": string, "deliveryDate": date, "boughtHere": bool,
                    "mileageKm": nullable("integer"), "mileageReadOn": date, "insuranceCompany": string,
                    "insuranceExpiry": date, "inspectionDue": date, "warrantyEndDate": date,
                    "warrantyEndKm": nullable("integer"), "ownerCustomerId": nullable("integer", format: "int64"),
                    "vinValid": bool, "plateValid": bool, "version": int64,
                    "owners": [
                        "type": "array",
                        "items": object(["customerId": int64, "customerName": string, "from": date, "until": date]),
                    ],
                ], required: ["id", "vin", "plate", "brand", "model", "vinValid", "plateValid", "version"]),
            "VehiclePage": page("Vehicle"),
            "VehicleInput": object([
                "storeId": int64, "vin": string, "plate": string, "brand": string, "model": string, "trim": string,
                "colour": string, "deliveryDate": date, "boughtHere": bool, "mileageKm": ["type": "integer"],
                "mileageReadOn": date, "insuranceCompany": string, "insuranceExpiry": date, "inspectionDue": date,
                "warrantyEndDate": date, "warrantyEndKm": ["type": "integer"], "ownerCustomerId": int64,
                "version": ["type": "integer", "description": "required on PATCH"],
            ]),
            "RepairOrderLine": object(
                [
                    "lineNo": ["type": "integer"], "kind": ["type": "string", "enum": ["labor", "part"]],
                    "code": string,
                    "name": string, "quantity": ["type": "number"], "amountFen": int64, "costFen": int64,
                ], required: ["kind", "name", "amountFen"]),
            "RepairOrder": object(
                [
                    "id": int64, "storeId": int64, "orderNo": string, "vehicleId": nullable("integer", format: "int64"),
                    "vin": nullable("string"), "customerId": nullable("integer", format: "int64"),
                    "customerNo": nullable("string"), "advisorId": nullable("integer", format: "int64"),
                    "advisorName": string, "type": string, "openedOn": date, "closedOn": date,
                    "mileageIn": nullable("integer"), "laborFen": int64, "partsFen": int64, "totalFen": int64,
                    "costFen": int64, "grossProfitFen": int64, "internalComeback": bool, "externalComeback": bool,
                    "lines": ["type": "array", "items": ref("RepairOrderLine")],
                ], required: ["id", "orderNo", "openedOn", "type", "totalFen", "lines"]),
            "RepairOrderPage": page("RepairOrder"),
            "RepairOrderInput": object(
                [
                    "storeId": int64, "orderNo": string, "vehicleId": int64, "customerId": int64, "advisorId": int64,
                    "advisorName": string, "type": string, "openedOn": date, "closedOn": date,
                    "mileageIn": ["type": "integer"], "internalComeback": bool, "externalComeback": bool,
                    "totalFen": int64, "costFen": int64, "lines": ["type": "array", "items": ref("RepairOrderLine")],
                ], required: ["orderNo", "type", "openedOn"]),
            "LookupResult": object(
                [
                    "phone": string,
                    "matches": [
                        "type": "array",
                        "items": object([
                            "customer": ref("Customer"), "vehicles": ["type": "array", "items": ref("Vehicle")],
                            "interactions": ["type": "array", "items": ref("Interaction")],
                        ]),
                    ],
                ], required: ["phone", "matches"]),
            "MergeInput": object(
                [
                    "mergedId": int64,
                    "take": [
                        "type": "array",
                        "items": [
                            "type": "string",
                            "enum": [
                                "name", "type", "gender", "birthday", "address", "region", "sourceChannel", "consent",
                                "licenceReviewDate", "owner", "notes",
                            ],
                        ],
                    ],
                ], required: ["mergedId"]),
            "DataQuality": object(
                [
                    "report": object([
                        "customers": int64, "invalidPhones": int64, "invalidVINs": int64, "invalidPlates": int64,
                        "incomplete": int64, "averageCompleteness": int64,
                        "missing": ["type": "object", "additionalProperties": ["type": "integer"]],
                        "duplicatePairs": int64,
                    ]),
                    "duplicates": [
                        "type": "array",
                        "items": object(["reason": string, "key": string, "firstId": int64, "secondId": int64]),
                    ],
                ], required: ["report", "duplicates"]),
            "File": ["type": "string", "format": "binary", "description": "text/csv or an XLSX workbook"],
            "ImportUpload": object(
                [
                    "file": ["type": "string", "format": "binary"],
                    "kind": ["type": "string", "enum": ["customers", "vehicles", "repair-orders", "lines"]],
                    "storeId": int64, "mapping": string,
                    "encoding": ["type": "string", "enum": ["utf-8", "gb18030", "gbk", "utf-16"]], "sheet": string,
                    "dryRun": bool,
                ], required: ["file", "kind"]),
            "CustomerSegments": object(
                [
                    "value": ["type": "string", "enum": ["A", "B", "C", "D"]],
                    "quadrant": ["type": "string", "enum": ["core", "potential", "regular", "marginal"]],
                    "rfm": object(["r": int64, "f": int64, "m": int64], required: ["r", "f", "m"]),
                    "churnStage": churnStages, "asOf": ["type": "string", "format": "date"],
                ], required: ["value", "quadrant", "rfm", "churnStage", "asOf"]),
            "SegmentCounts": object(
                [
                    "value": ["type": "object", "additionalProperties": int64],
                    "quadrant": ["type": "object", "additionalProperties": int64],
                    "churnStage": ["type": "object", "additionalProperties": int64],
                ], required: ["value", "quadrant", "churnStage"]),
            "SegmentRun": object(
                [
                    "id": int64, "storeId": int64, "asOf": ["type": "string", "format": "date"],
                    "trigger": ["type": "string", "enum": ["cli", "nightly", "manual"]], "userLogin": string,
                    "counts": ref("SegmentCounts"), "moved": int64, "startedAt": dateTime, "durationMs": int64,
                ], required: ["id", "storeId", "asOf", "trigger", "counts", "moved"]),
            "SegmentRunInput": object(["storeId": int64, "asOf": ["type": "string", "format": "date"]]),
            "SegmentSettings": object([
                "valueBasis": ["type": "string", "enum": ["revenue", "gross_profit"]], "windowMonths": int64,
                "topSharesPercent": ["type": "array", "items": int64], "loyalVisits": int64, "loyalMonths": int64,
                "churnMonths": ["type": "array", "items": int64], "ageBandYears": ["type": "array", "items": int64],
                "warrantyMonths": int64, "warrantyKm": int64, "nightlyRun": bool, "nightlyHour": int64,
            ]),
            "Reminder": object(
                [
                    "id": int64, "storeId": int64,
                    "type": [
                        "type": "string",
                        "enum": [
                            "maintenance", "first_maintenance", "insurance", "inspection", "licence", "warranty",
                            "winback", "greeting",
                        ],
                    ],
                    "key": string, "dueDate": ["type": "string", "format": "date"],
                    "createdOn": ["type": "string", "format": "date"],
                    "customerId": nullable("integer", format: "int64"),
                    "vehicleId": nullable("integer", format: "int64"), "ownerId": nullable("integer", format: "int64"),
                    "ownerTeamId": nullable("integer", format: "int64"), "customerNo": nullable("string"),
                    "valueClass": nullable("string"),
                    "customerName": nullable("string"), "vin": nullable("string"),
                    "plate": nullable("string"), "channel": ["type": "string", "enum": ["task", "message", "both"]],
                    "reason": string,
                    "basis": ["type": "object", "additionalProperties": string, "description": "the data behind it"],
                    "status": ["type": "string", "enum": ["open", "done", "converted"]],
                    "outcome": [
                        "type": ["string", "null"],
                        "enum": ["contacted", "appointment", "visited", "declined", "unreachable", NSNull()],
                    ],
                    "outcomeNote": string, "outcomeBy": nullable("string"), "convertedOn": date,
                ], required: ["id", "type", "dueDate", "customerNo", "vin", "reason", "basis", "status", "outcome"]),
            "ReminderPage": page("Reminder"),
            "MessageTemplate": object(
                [
                    "id": int64, "storeId": int64, "name": string,
                    "kind": ["type": "string", "enum": ["marketing", "service"]],
                    "channel": ["type": "string", "enum": ["sms"]], "language": string, "purpose": nullable("string"),
                    "text": string, "sentAs": ["type": "string", "description": "with the opt-out hint of marketing"],
                    "variables": ["type": "array", "items": string], "createdBy": string,
                    "updatedAt": ["type": "string", "format": "date-time"],
                ], required: ["id", "name", "kind", "text"]),
            "MessageTemplateInput": object(
                [
                    "name": string, "kind": ["type": "string", "enum": ["marketing", "service"]],
                    "text": ["type": "string", "description": "with {{variables}}; an unknown one is refused"],
                    "language": string, "purpose": nullable("string"),
                    "customerId": ["type": "integer", "format": "int64", "description": "preview only"],
                ], required: ["name", "kind", "text"]),
            "TemplatePreview": object(
                [
                    "customer": string, "text": string, "segments": ["type": "integer"],
                    "characters": ["type": "integer"],
                ],
                required: ["text", "segments"]),
            "OutboxMessage": object(
                [
                    "id": int64, "storeId": int64, "idempotencyKey": string,
                    "customerId": nullable("integer", format: "int64"),
                    "customerName": nullable("string"), "phone": string, "kind": string, "channel": string,
                    "text": string,
                    "status": [
                        "type": "string",
                        "enum": [
                            "pending", "queued", "held", "claimed", "submitted", "delivered", "failed", "unknown",
                            "refused",
                        ],
                    ],
                    "source": string, "sourceId": int64, "attempts": ["type": "integer"],
                    "refusal": nullable("string"), "lastError": nullable("string"), "provider": nullable("string"),
                    "providerMessageId": nullable("string"), "receiptStatus": nullable("string"),
                    "createdAt": ["type": "string", "format": "date-time"],
                ], required: ["id", "idempotencyKey", "status", "text"]),
            "OutboxPage": page("OutboxMessage"),
            "BulkSendInput": object(
                [
                    "storeId": int64, "templateId": int64,
                    "filters": [
                        "type": "object", "additionalProperties": string,
                        "description": "the customer list's filters, e.g. {\"churnStage\":\"at_risk\"}",
                    ],
                ], required: ["templateId"]),
            "BulkSendPreview": object(
                [
                    "candidates": ["type": "integer"], "recipients": ["type": "integer"], "held": ["type": "integer"],
                    "excluded": [
                        "type": "object", "additionalProperties": ["type": "integer"],
                        "description": "noConsent, optedOut, capped, noMobile",
                    ],
                    "sampleCustomer": string, "sampleText": string, "segmentsPerMessage": ["type": "integer"],
                    "charactersPerMessage": ["type": "integer"], "totalSegments": ["type": "integer"],
                    "needsApproval": ["type": "boolean"],
                ], required: ["candidates", "excluded", "recipients", "sampleText"]),
            "BulkSend": object(
                [
                    "id": int64, "storeId": int64, "templateId": int64, "templateName": string, "kind": string,
                    "filters": ["type": "object", "additionalProperties": string],
                    "status": ["type": "string", "enum": ["awaiting_approval", "queued", "cancelled"]],
                    "candidates": ["type": "integer"], "recipients": ["type": "integer"],
                    "excluded": ["type": "object", "additionalProperties": ["type": "integer"]], "sampleText": string,
                    "progress": [
                        "type": "object", "additionalProperties": ["type": "integer"],
                        "description": "messages per status",
                    ],
                    "createdBy": string, "decidedBy": nullable("string"),
                ], required: ["id", "status", "candidates", "recipients", "progress"]),
            "OptOut": object(
                ["phone": string, "source": string, "note": string, "createdBy": string], required: ["phone", "source"]),
            "OptOutInput": object(["phone": string, "note": string], required: ["phone"]),
            "MessagingSettings": object(
                [
                    "quietStart": ["type": "string", "description": "HH:MM store-local"], "quietEnd": string,
                    "monthlyCap": ["type": "integer"], "approvalThreshold": ["type": "integer"],
                    "optOutKeywords": ["type": "array", "items": string], "groupWideOptOut": ["type": "boolean"],
                ]),
            "AdvisorSummary": object(
                [
                    "advisorId": ["type": "integer", "format": "int64", "description": "0 in a team's book"],
                    "name": string, "teamId": nullable("integer", format: "int64"), "customers": int64,
                    "value": ["type": "object", "additionalProperties": int64],
                    "churnStage": ["type": "object", "additionalProperties": int64],
                    "monthlyChurn": [
                        "type": "array",
                        "items": object([
                            "month": string, "base": int64, "churned": int64, "rate": nullable("number"),
                        ]),
                    ],
                    "receptions": [
                        "type": "object", "additionalProperties": int64, "description": "day → orders opened",
                    ],
                    "receptionsToday": int64, "receptionsPerDay": nullable("number"),
                    "remindersDue": ["type": "object", "additionalProperties": int64],
                    "remindersWorked": ["type": "object", "additionalProperties": int64],
                    "remindersConverted": ["type": "object", "additionalProperties": int64],
                    "executionRate": nullable("number"), "conversionRate": nullable("number"),
                ], required: ["advisorId", "name", "customers", "monthlyChurn"]),
            "OwnershipMoves": object(
                [
                    "moved": [
                        "type": "object", "additionalProperties": int64,
                        "description": "owner → customers: an advisor's id, or team:<id> for a team",
                    ],
                    "preview": bool,
                ], required: ["moved", "preview"]),
            "ReassignInput": object(
                [
                    "storeId": int64, "from": int64, "fromTeam": int64, "to": ["type": "array", "items": int64],
                    "toTeams": ["type": "array", "items": int64], "preview": bool,
                ]),
            "AdvisorTeam": object(
                [
                    "id": int64, "storeId": int64, "name": string, "leaderId": nullable("integer", format: "int64"),
                    "members": ["type": "array", "items": object(["id": int64, "name": string])],
                    "customers": ["type": "integer", "description": "customers the team owns as a team"],
                ], required: ["id", "storeId", "name", "members", "customers"]),
            "TeamInput": object(
                [
                    "storeId": int64, "name": string, "leaderId": int64,
                    "memberIds": ["type": "array", "items": int64],
                ], required: ["name", "memberIds"]),
            "TeamSummary": object(
                ["team": ref("AdvisorTeam"), "book": ref("AdvisorSummary")], required: ["team", "book"]),
            "AssignmentSettings": object([
                "rules": [
                    "type": "array",
                    "items": object([
                        "valueClasses": ["type": "array", "items": ["type": "string", "enum": ["A", "B", "C", "D"]]],
                        "advisorIds": ["type": "array", "items": int64],
                        "teamIds": ["type": "array", "items": int64],
                    ]),
                ],
                "byBrand": ["type": "object", "additionalProperties": ["type": "array", "items": int64]],
                "advisorIds": ["type": "array", "items": int64], "teamIds": ["type": "array", "items": int64],
                "onImport": bool,
            ]),
            "OwnerChange": object([
                "fromOwnerId": nullable("integer", format: "int64"), "toOwnerId": nullable("integer", format: "int64"),
                "fromTeamId": nullable("integer", format: "int64"), "toTeamId": nullable("integer", format: "int64"),
                "reason": string, "at": dateTime, "by": string,
            ]),
            "ReminderOutcomeInput": object(
                [
                    "outcome": [
                        "type": "string", "enum": ["contacted", "appointment", "visited", "declined", "unreachable"],
                    ],
                    "note": string,
                ], required: ["outcome"]),
            "ReminderRun": object(
                [
                    "id": int64, "storeId": int64, "asOf": ["type": "string", "format": "date"],
                    "trigger": ["type": "string", "enum": ["cli", "daily", "manual"]],
                    "created": ["type": "object", "additionalProperties": int64], "alreadyExisting": int64,
                    "converted": int64, "durationMs": int64,
                ], required: ["id", "asOf", "created", "alreadyExisting"]),
            "ReminderSettings": [
                "type": "object",
                "description":
                    "disabled (rule types), channels (type → task|message|both), maintenanceKm, maintenanceMonths, "
                    + "maintenanceLeadDays, defaultKmPerDay, readingsUsed, schedule and brandSchedules (firstMonths, "
                    + "firstKm, secondMonths, secondKm), insuranceLeadDays, inspectionLeadDays, licenceLeadDays, "
                    + "warrantyLeadDays, overdueDays, winbackStages, birthdayGreeting, anniversaryGreeting, festivals, "
                    + "seasonalCare (MM-DD), greetingStages, conversionDays, dailyRun, dailyHour; "
                    + "a PUT may send only what changes",
            ],
            "StoreRunMetrics": object(
                ["run": ref("SegmentRun"), "metrics": ref("StoreMetrics")], required: ["run", "metrics"]),
            "YearChurn": object(
                [
                    "year": int64, "base": int64, "churned": int64, "rate": nullable("number"),
                    "retention": nullable("number"), "partial": bool,
                ], required: ["year", "base", "churned", "partial"]),
            "StoreMetrics": object(
                [
                    "asOf": ["type": "string", "format": "date"],
                    "churn": ["type": "array", "items": ref("YearChurn")],
                    "fiveYearChurn": ["type": "array", "items": ref("YearChurn")],
                    "loyal": int64, "visitedInWindow": int64, "loyalShare": nullable("number"),
                    "cohorts": [
                        "type": "array",
                        "items": object([
                            "quarter": string, "customers": int64, "retained": ["type": "array", "items": int64],
                            "shares": ["type": "array", "items": ["type": "number"]],
                        ]),
                    ],
                    "newCustomers": ["type": "array", "items": object(["year": int64, "customers": int64])],
                    "clv": ref("DwyerInputs"),
                    "workshop": [
                        "type": "object",
                        "description":
                            "orders, customers, revenueFen, averageTicketFen, warranty (orders by status), comebacks, "
                            + "daily (last 90 days), monthly, byHour (weekday × hour)",
                    ],
                    "vehicles": [
                        "type": "object",
                        "description": "vehicles by age band (0_1, 1_3, over_3, unknown), then warranty",
                    ],
                    "moves": ["type": "object", "description": "value and churnStage: from → to → customers"],
                ], required: ["asOf", "churn", "cohorts", "clv", "workshop", "vehicles"]),
            "DwyerInputs": object([
                "cohortYear": int64, "initialCustomers": int64, "retentionRate": ["type": "number"],
                "visitsPerYear": ["type": "number"], "averageTicket": ["type": "number"],
                "variableCostRate": ["type": "number"], "marketingCostPerCustomer": ["type": "number"],
                "acquisitionCostPerCustomer": ["type": "number"], "discountRate": ["type": "number"], "years": int64,
                "fromData": ["type": "array", "items": string],
            ]),
            "DwyerTable": object(
                [
                    "inputs": ref("DwyerInputs"), "clv": ["type": "number"],
                    "rows": [
                        "type": "array",
                        "items": object(
                            Dictionary(
                                uniqueKeysWithValues: [
                                    "year", "customers", "retentionRate", "retained", "visitsPerCustomer",
                                    "averageTicket", "revenue", "variableCost", "marketingCost", "acquisitionCost",
                                    "totalCost", "grossProfit", "discountFactor", "npv", "cumulativeNpv",
                                ].map { ($0, ["type": "number"] as [String: Any]) })),
                    ],
                ], required: ["inputs", "rows", "clv"]),
            "ImportRun": object(
                [
                    "id": int64, "storeId": int64, "kind": string, "fileName": string, "fileSha256": string,
                    "format": string, "encoding": string, "mapping": string, "dryRun": bool,
                    "status": ["type": "string", "enum": ["running", "done", "refused", "failed", "resumed"]],
                    "read": int64, "inserted": int64, "updated": int64, "unchanged": int64, "rejected": int64,
                    "progress": nullable("number"), "resumedFrom": nullable("integer", format: "int64"),
                    "error": nullable("object"), "user": string, "startedAt": dateTime,
                    "finishedAt": nullable("string"),
                ], required: ["id", "kind", "status", "read", "inserted", "updated", "unchanged", "rejected"]),
            "UnlinkedAdvisor": object(["name": string, "orders": ["type": "integer"]], required: ["name", "orders"]),
            "AdvisorLink": object(["storeId": int64, "name": string, "userId": int64], required: ["name", "userId"]),
            "AdvisorLinked": object(["orders": ["type": "integer"]], required: ["orders"]),
            "ImportProblem": object(
                ["line": ["type": "integer"], "column": string, "code": string, "message": string],
                required: ["line", "column", "code", "message"]),
            "Me": object(
                ["user": ["$ref": "#/components/schemas/User"], "storeIds": ["type": "array", "items": int64]],
                required: ["user", "storeIds"]),
        ]
    }
}
