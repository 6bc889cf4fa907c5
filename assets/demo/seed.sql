-- The DB Desk demo database: a small shop with related tables, every kind of value a grid must
-- show exactly, and (generated in code) an `events` table of 1,000,000 rows.

CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT UNIQUE,
  country TEXT,
  vip BOOLEAN NOT NULL DEFAULT 0,
  balance DECIMAL(12,2) NOT NULL DEFAULT 0,
  joined_on DATE NOT NULL,
  notes TEXT
);

CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  price DECIMAL(10,2) NOT NULL CHECK (price >= 0),
  tags JSON,
  thumbnail BLOB
);

CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  ordered_at TIMESTAMP NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('new', 'paid', 'shipped', 'cancelled')),
  total DECIMAL(12,2) NOT NULL,
  note TEXT
);
CREATE INDEX orders_customer ON orders(customer_id);

CREATE TABLE order_items (
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  product_id INTEGER NOT NULL REFERENCES products(id),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  unit_price DECIMAL(10,2) NOT NULL,
  PRIMARY KEY (order_id, product_id)
);

-- One row per kind of value that tools get wrong.
CREATE TABLE value_showcase (
  id INTEGER PRIMARY KEY,
  label TEXT NOT NULL,
  big_integer INTEGER,
  exact_decimal TEXT,
  real_number REAL,
  text_value TEXT,
  day DATE,
  moment TIMESTAMP,
  document JSON,
  raw BLOB,
  flag BOOLEAN
);

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  occurred_at TIMESTAMP NOT NULL,
  kind TEXT NOT NULL,
  customer_id INTEGER REFERENCES customers(id),
  amount DECIMAL(12,2),
  payload JSON,
  sequence_no INTEGER NOT NULL
);

INSERT INTO customers (id, name, email, country, vip, balance, joined_on, notes) VALUES
  (1, 'Ada Lovelace', 'ada@example.com', 'GB', 1, 1843.15, '2019-12-10', 'First customer'),
  (2, 'Grace Hopper', 'grace@example.com', 'US', 1, 0, '2020-01-09', NULL),
  (3, 'Zoë Ångström', 'zoe@example.se', 'SE', 0, 12.5, '2021-06-21', ''),
  (4, '山田 太郎', 'taro@example.jp', 'JP', 0, 99999999.99, '2022-02-22', 'Unicode name'),
  (5, 'Émile Zola', NULL, 'FR', 0, -25.75, '2023-03-01', 'No e-mail on file'),
  (6, 'Nomvula Dlamini', 'nomvula@example.za', 'ZA', 0, 310.00, '2024-02-29', 'Joined on a leap day'),
  (7, 'Olu Adeyemi', 'olu@example.ng', 'NG', 1, 7.07, '2024-11-05', NULL),
  (8, 'María José Pérez', 'mjp@example.es', 'ES', 0, 0.01, '2025-07-14', 'Tab	inside and a
line break');

INSERT INTO products (id, sku, name, price, tags, thumbnail) VALUES
  (1, 'KB-01', 'Mechanical keyboard', 129.00, '["input","usb"]', x'89504E470D0A1A0A'),
  (2, 'MS-02', 'Wireless mouse', 39.90, '["input","bluetooth"]', NULL),
  (3, 'MN-27', '27" monitor', 349.99, '{"size":27,"panel":"IPS"}', x'FFD8FFE000104A464946'),
  (4, 'CB-USB', 'USB-C cable', 9.99, '[]', x''),
  (5, 'DK-☕', 'Coffee mug 🐬', 12.00, NULL, NULL);

INSERT INTO orders (id, customer_id, ordered_at, status, total, note) VALUES
  (1, 1, '2024-01-15 09:30:00', 'paid', 168.90, NULL),
  (2, 1, '2024-03-10 02:30:00', 'shipped', 349.99, 'Placed during a DST change in many zones'),
  (3, 2, '2024-06-01 12:00:00', 'new', 9.99, ''),
  (4, 4, '2024-12-31 23:59:59', 'cancelled', 12.00, 'Last second of the year'),
  (5, 6, '2025-02-28 00:00:00', 'paid', 39.90, NULL);

INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES
  (1, 1, 1, 129.00), (1, 2, 1, 39.90), (2, 3, 1, 349.99), (3, 4, 1, 9.99), (4, 5, 1, 12.00), (5, 2, 1, 39.90);

INSERT INTO value_showcase (id, label, big_integer, exact_decimal, real_number, text_value, day, moment, document, raw, flag) VALUES
  (1, 'Largest 64-bit integer', 9223372036854775807, '12345678901234567890.123456789', 0.1, 'plain', '2024-02-29', '2024-03-31 02:30:00', '{"nested":{"list":[1,2,3]},"ok":true}', x'00FF10', 1),
  (2, 'Smallest 64-bit integer', -9223372036854775808, '-0.000000000000000001', -1.5e-300, '', '1970-01-01', '1970-01-01 00:00:00', '[]', x'', 0),
  (3, 'Just past 2^53', 9007199254740993, '0', 1e308, 'héllo 🐬 wörld — ünïcödé', '9999-12-31', '2038-01-19 03:14:08', '"a JSON string"', x'DEADBEEF', NULL),
  (4, 'All NULL', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (5, 'Long text', 42, '3.14159265358979323846264338327950288', 3.141592653589793, printf('%.5000c', 'x'), '2000-01-01', '2000-01-01 12:00:00.123456', '{"emoji":"🐬","quote":"\"hi\""}', randomblob(300), 1);
