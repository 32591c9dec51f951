import Foundation

/// The OpenAPI 3.1 description of /api/v1, assembled from the operations each API file declares.
enum OpenAPIDocument {
    static let operations: [ApiOperation] =
        [ApiOperation("get", "/api/v1/openapi.json", "This document", tag: "meta", response: "OpenAPI")]
        + MeApi.operations + StoresApi.operations + GroupsApi.operations + UsersApi.operations
        + TokensApi.operations + AuditApi.operations

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
        if case .json(let schema) = operation.request {
            result["requestBody"] = [
                "required": true,
                "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(schema)"]]],
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
            "Me": object(
                ["user": ["$ref": "#/components/schemas/User"], "storeIds": ["type": "array", "items": int64]],
                required: ["user", "storeIds"]),
        ]
    }
}
