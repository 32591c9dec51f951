/// Customers, their phones and contacts, vehicles with ownership history, repair orders with lines, and
/// the interactions timeline. Every table leads its keys and indexes with store_id; children reference
/// their parent by (store_id, id), so a row can never point into another store.
///
/// Search columns: `*_rev` hold reversed text so "ends with" searches (phone last 4, VIN last 6, plate
/// digits) are index range scans on both engines; `tags` is stored as `|a|b|` for exact-tag filtering.
extension Migration {
    static let m0003CustomerRecords = Migration(version: 3, name: "customer_records") { ddl in
        var statements: [String] = [
            """
            CREATE TABLE customers (
                \(ddl.businessColumns),
                customer_no TEXT,
                type TEXT NOT NULL,
                name TEXT NOT NULL,
                gender TEXT NOT NULL,
                birthday TEXT,
                address TEXT NOT NULL DEFAULT '',
                region TEXT NOT NULL DEFAULT '',
                source_channel TEXT NOT NULL DEFAULT '',
                consent_sms BIGINT NOT NULL DEFAULT 0,
                consent_callback BIGINT NOT NULL DEFAULT 1,
                tags TEXT NOT NULL DEFAULT '',
                notes TEXT NOT NULL DEFAULT '',
                licence_review_date TEXT,
                owner_id BIGINT REFERENCES users(id),
                alert_reason TEXT,
                alert_set_at BIGINT,
                alert_set_by TEXT,
                merged_into_id BIGINT,
                primary_phone TEXT NOT NULL DEFAULT '',
                phone_flag BIGINT NOT NULL DEFAULT 0,
                completeness BIGINT NOT NULL DEFAULT 0,
                version BIGINT NOT NULL DEFAULT 1,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE UNIQUE INDEX customers_no ON customers (store_id, customer_no)",
            "CREATE INDEX customers_name ON customers (store_id, name \(ddl.bytewise), id)",
            "CREATE INDEX customers_owner ON customers (store_id, owner_id, id)",
            "CREATE INDEX customers_primary_phone ON customers (store_id, primary_phone)",
            "CREATE INDEX customers_merged ON customers (store_id, merged_into_id)",
            """
            CREATE TABLE customer_phones (
                \(ddl.businessColumns),
                customer_id BIGINT NOT NULL,
                digits TEXT NOT NULL,
                digits_rev TEXT NOT NULL,
                kind TEXT NOT NULL,
                format TEXT NOT NULL,
                is_primary BIGINT NOT NULL,
                position BIGINT NOT NULL,
                FOREIGN KEY (store_id, customer_id) REFERENCES customers (store_id, id)
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE INDEX customer_phones_customer ON customer_phones (store_id, customer_id, position)",
            "CREATE INDEX customer_phones_digits ON customer_phones (store_id, digits)",
            "CREATE INDEX customer_phones_rev ON customer_phones (store_id, digits_rev \(ddl.bytewise))",
            """
            CREATE TABLE customer_contacts (
                \(ddl.businessColumns),
                customer_id BIGINT NOT NULL,
                name TEXT NOT NULL,
                title TEXT NOT NULL,
                phone TEXT,
                position BIGINT NOT NULL,
                FOREIGN KEY (store_id, customer_id) REFERENCES customers (store_id, id)
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE INDEX customer_contacts_customer ON customer_contacts (store_id, customer_id, position)",
            """
            CREATE TABLE vehicles (
                \(ddl.businessColumns),
                vin TEXT NOT NULL,
                vin_rev TEXT NOT NULL,
                vin_flag BIGINT NOT NULL DEFAULT 0,
                plate TEXT NOT NULL DEFAULT '',
                plate_rev TEXT NOT NULL DEFAULT '',
                plate_flag BIGINT NOT NULL DEFAULT 0,
                brand TEXT NOT NULL DEFAULT '',
                model TEXT NOT NULL DEFAULT '',
                trim TEXT NOT NULL DEFAULT '',
                colour TEXT NOT NULL DEFAULT '',
                delivery_date TEXT,
                bought_here BIGINT NOT NULL DEFAULT 1,
                mileage_km BIGINT,
                mileage_read_on TEXT,
                insurance_company TEXT NOT NULL DEFAULT '',
                insurance_expiry TEXT,
                inspection_due TEXT,
                warranty_end_date TEXT,
                warranty_end_km BIGINT,
                owner_customer_id BIGINT,
                version BIGINT NOT NULL DEFAULT 1,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                FOREIGN KEY (store_id, owner_customer_id) REFERENCES customers (store_id, id)
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE UNIQUE INDEX vehicles_vin ON vehicles (store_id, vin)",
            "CREATE INDEX vehicles_vin_rev ON vehicles (store_id, vin_rev \(ddl.bytewise))",
            "CREATE INDEX vehicles_plate ON vehicles (store_id, plate \(ddl.bytewise))",
            "CREATE INDEX vehicles_plate_rev ON vehicles (store_id, plate_rev \(ddl.bytewise))",
            "CREATE INDEX vehicles_owner ON vehicles (store_id, owner_customer_id)",
            """
            CREATE TABLE vehicle_owners (
                \(ddl.businessColumns),
                vehicle_id BIGINT NOT NULL,
                customer_id BIGINT NOT NULL,
                from_date TEXT,
                until_date TEXT,
                FOREIGN KEY (store_id, vehicle_id) REFERENCES vehicles (store_id, id),
                FOREIGN KEY (store_id, customer_id) REFERENCES customers (store_id, id)
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE INDEX vehicle_owners_vehicle ON vehicle_owners (store_id, vehicle_id, id)",
            "CREATE INDEX vehicle_owners_customer ON vehicle_owners (store_id, customer_id)",
            """
            CREATE TABLE repair_orders (
                \(ddl.businessColumns),
                order_no TEXT NOT NULL,
                vehicle_id BIGINT,
                customer_id BIGINT,
                advisor_id BIGINT REFERENCES users(id),
                advisor_name TEXT NOT NULL DEFAULT '',
                type TEXT NOT NULL,
                opened_on TEXT NOT NULL,
                closed_on TEXT,
                mileage_in BIGINT,
                labor_fen BIGINT NOT NULL DEFAULT 0,
                parts_fen BIGINT NOT NULL DEFAULT 0,
                total_fen BIGINT NOT NULL DEFAULT 0,
                cost_fen BIGINT NOT NULL DEFAULT 0,
                internal_comeback BIGINT NOT NULL DEFAULT 0,
                external_comeback BIGINT NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                FOREIGN KEY (store_id, vehicle_id) REFERENCES vehicles (store_id, id),
                FOREIGN KEY (store_id, customer_id) REFERENCES customers (store_id, id)
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE UNIQUE INDEX repair_orders_no ON repair_orders (store_id, order_no \(ddl.bytewise))",
            "CREATE INDEX repair_orders_customer ON repair_orders (store_id, customer_id, opened_on)",
            "CREATE INDEX repair_orders_vehicle ON repair_orders (store_id, vehicle_id, opened_on)",
            "CREATE INDEX repair_orders_opened ON repair_orders (store_id, opened_on, id)",
            """
            CREATE TABLE repair_order_lines (
                store_id BIGINT NOT NULL REFERENCES stores(id),
                repair_order_id BIGINT NOT NULL,
                line_no BIGINT NOT NULL,
                kind TEXT NOT NULL,
                code TEXT NOT NULL DEFAULT '',
                name TEXT NOT NULL,
                quantity \(ddl.double) NOT NULL DEFAULT 1,
                amount_fen BIGINT NOT NULL DEFAULT 0,
                cost_fen BIGINT NOT NULL DEFAULT 0,
                PRIMARY KEY (store_id, repair_order_id, line_no),
                FOREIGN KEY (store_id, repair_order_id) REFERENCES repair_orders (store_id, id)
            )
            """,
            """
            CREATE TABLE interactions (
                \(ddl.businessColumns),
                customer_id BIGINT NOT NULL,
                at BIGINT NOT NULL,
                kind TEXT NOT NULL,
                summary TEXT NOT NULL,
                user_id BIGINT,
                user_login TEXT NOT NULL,
                FOREIGN KEY (store_id, customer_id) REFERENCES customers (store_id, id)
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE INDEX interactions_customer ON interactions (store_id, customer_id, at)",
        ]
        for table in [
            "customers", "customer_phones", "customer_contacts", "vehicles", "vehicle_owners", "repair_orders",
            "interactions",
        ] {
            statements.insert(
                contentsOf: ddl.businessKeyIndex(table),
                at: statements.firstIndex { $0.contains("CREATE TABLE \(table) ") }! + 1)
        }
        return statements
    }
}
