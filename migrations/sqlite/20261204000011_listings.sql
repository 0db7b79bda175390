-- Listings and the policy check (issue 16): the category taxonomy (each
-- category in exactly one cluster), versioned rule sets (a document, as text,
-- in the engine's shape, `app::listings::policy::RuleSet`, which the
-- staff editor of the next issue writes too), product listings with money
-- in integer minor units, and the decisions, appended and never edited.
-- Times in UTC unix seconds; days as YYYY-MM-DD in Asia/Jakarta. (sqlite)
create table categories (
    slug text primary key,
    name_id text not null,
    name_en text not null,
    cluster text not null
        check (cluster in ('textiles_fashion', 'food_beverages', 'handicrafts', 'other')),
    position bigint not null
);

insert into categories (slug, name_id, name_en, cluster, position) values
    ('batik', 'Batik', 'Batik', 'textiles_fashion', 0),
    ('kain-tenun', 'Kain tenun dan songket', 'Woven cloth and songket', 'textiles_fashion', 1),
    ('pakaian-pria', 'Pakaian pria', 'Men''s clothing', 'textiles_fashion', 2),
    ('pakaian-wanita', 'Pakaian wanita', 'Women''s clothing', 'textiles_fashion', 3),
    ('pakaian-anak', 'Pakaian anak', 'Children''s clothing', 'textiles_fashion', 4),
    ('busana-muslim', 'Busana muslim', 'Muslim fashion', 'textiles_fashion', 5),
    ('hijab-kerudung', 'Hijab dan kerudung', 'Hijabs and headscarves', 'textiles_fashion', 6),
    ('kebaya', 'Kebaya', 'Kebaya', 'textiles_fashion', 7),
    ('sepatu', 'Sepatu', 'Shoes', 'textiles_fashion', 8),
    ('sandal', 'Sandal', 'Sandals', 'textiles_fashion', 9),
    ('tas-fesyen', 'Tas fesyen', 'Fashion bags', 'textiles_fashion', 10),
    ('aksesori-fesyen', 'Aksesori fesyen', 'Fashion accessories', 'textiles_fashion', 11),
    ('kopi', 'Kopi', 'Coffee', 'food_beverages', 12),
    ('teh', 'Teh', 'Tea', 'food_beverages', 13),
    ('makanan-ringan', 'Makanan ringan dan keripik', 'Snacks and chips', 'food_beverages', 14),
    ('kue-roti', 'Kue dan roti', 'Cakes and bread', 'food_beverages', 15),
    ('sambal-bumbu', 'Sambal dan bumbu', 'Chilli sauces and seasonings', 'food_beverages', 16),
    ('rempah', 'Rempah-rempah', 'Spices', 'food_beverages', 17),
    ('madu', 'Madu', 'Honey', 'food_beverages', 18),
    ('makanan-beku', 'Makanan beku', 'Frozen food', 'food_beverages', 19),
    ('olahan-daging-ikan', 'Olahan daging dan ikan', 'Meat and fish products', 'food_beverages', 20),
    ('minuman-kemasan', 'Minuman kemasan', 'Packaged drinks', 'food_beverages', 21),
    ('buah-kering', 'Buah kering dan manisan', 'Dried fruit and preserves', 'food_beverages', 22),
    ('cokelat-permen', 'Cokelat dan permen', 'Chocolate and sweets', 'food_beverages', 23),
    ('anyaman', 'Anyaman', 'Woven crafts', 'handicrafts', 24),
    ('gerabah-keramik', 'Gerabah dan keramik', 'Pottery and ceramics', 'handicrafts', 25),
    ('ukiran-kayu', 'Ukiran kayu', 'Wood carving', 'handicrafts', 26),
    ('rotan-bambu', 'Kerajinan rotan dan bambu', 'Rattan and bamboo crafts', 'handicrafts', 27),
    ('perhiasan-kerajinan', 'Perhiasan kerajinan (perak, mutiara)', 'Crafted jewellery (silver, pearl)', 'handicrafts', 28),
    ('wayang-topeng', 'Wayang dan topeng', 'Puppets and masks', 'handicrafts', 29),
    ('kerajinan-kulit', 'Kerajinan kulit', 'Leather crafts', 'handicrafts', 30),
    ('lukisan', 'Lukisan dan seni rupa', 'Paintings and fine art', 'handicrafts', 31),
    ('dekorasi-kerajinan', 'Dekorasi rumah kerajinan', 'Handcrafted home decor', 'handicrafts', 32),
    ('suvenir', 'Suvenir dan cendera mata', 'Souvenirs', 'handicrafts', 33),
    ('elektronik', 'Elektronik', 'Electronics', 'other', 34),
    ('ponsel-aksesori', 'Ponsel dan aksesori', 'Phones and accessories', 'other', 35),
    ('komputer', 'Komputer dan laptop', 'Computers and laptops', 'other', 36),
    ('buku', 'Buku', 'Books', 'other', 37),
    ('musik-film', 'Musik, film dan media rekaman', 'Music, films and recorded media', 'other', 38),
    ('alat-tulis', 'Alat tulis dan kantor', 'Stationery and office', 'other', 39),
    ('mainan', 'Mainan dan hobi', 'Toys and hobbies', 'other', 40),
    ('kecantikan', 'Kecantikan dan perawatan', 'Beauty and personal care', 'other', 41),
    ('kesehatan', 'Kesehatan', 'Health', 'other', 42),
    ('peralatan-dapur', 'Peralatan dapur', 'Kitchenware', 'other', 43),
    ('perabot-rumah', 'Perabot rumah', 'Furniture', 'other', 44),
    ('otomotif', 'Otomotif', 'Automotive', 'other', 45),
    ('olahraga', 'Olahraga dan luar ruang', 'Sports and outdoors', 'other', 46),
    ('perlengkapan-bayi', 'Perlengkapan bayi', 'Baby supplies', 'other', 47),
    ('hewan-peliharaan', 'Perlengkapan hewan peliharaan', 'Pet supplies', 'other', 48),
    ('pertanian', 'Pertanian dan berkebun', 'Farming and gardening', 'other', 49),
    ('perkakas', 'Perkakas dan bahan bangunan', 'Tools and building supplies', 'other', 50);

-- A rule set version: a draft, or published with the time it takes
-- effect. The one in force is the published version with the latest
-- `effective_at` not in the future.
create table rule_sets (
    version bigint primary key,
    status text not null check (status in ('draft', 'published')),
    document text not null,
    effective_at bigint,
    created_by bigint references users (id) on delete set null,
    created_at bigint not null,
    published_by bigint references users (id) on delete set null,
    published_at bigint
);
create index rule_sets_in_force on rule_sets (status, effective_at);

create table listings (
    id integer primary key autoincrement,
    seller_id bigint references users (id) on delete set null,
    title text not null,
    description text not null default '',
    category text not null references categories (slug),
    price_minor bigint not null check (price_minor >= 0),
    currency text not null check (currency in ('IDR', 'USD')),
    unit text not null,
    origin_country text not null,
    ships_from text not null,
    hs_code text,
    halal_cert text,
    sni text,
    status text not null default 'active' check (status in ('active', 'withdrawn')),
    -- The latest decision's outcome, for lists (the decisions are the record).
    decision text not null
        check (decision in ('allowed', 'review', 'needs_document', 'blocked')),
    created_at bigint not null,
    updated_at bigint not null
);
create index listings_seller on listings (seller_id, id);

-- Every check of a stored listing: the rule-set version, the outcome, the
-- rules that fired (as text, with their parameters and messages) and the
-- listing and seller facts as checked (as text; no name). Kept when the
-- seller's account is deleted, for the policy figures.
create table listing_decisions (
    id integer primary key autoincrement,
    listing_id bigint not null references listings (id),
    rule_set_version bigint not null references rule_sets (version),
    outcome text not null
        check (outcome in ('allowed', 'review', 'needs_document', 'blocked')),
    reasons text not null,
    snapshot text not null,
    cluster text not null,
    cross_border integer not null,
    as_of text not null,
    decided_at bigint not null,
    decided_by bigint references users (id) on delete set null
);
create index listing_decisions_listing on listing_decisions (listing_id, id);

-- Rule set v1, from the domain's listing rules.
insert into rule_sets (version, status, document, effective_at, created_at, published_at) values
(1, 'published', '{
  "version": 1,
  "rules": [
    {
      "id": "akar_cross_border_cluster",
      "basis": "Gerakan AKAR (Lazada Indonesia dan Kementerian Koperasi dan UKM), diumumkan 2021-08-03",
      "effective_from": "2021-08-03",
      "message_id": "Penjual lintas batas tidak boleh menjual produk klaster {cluster} (Gerakan AKAR). Penjual berdomisili di {seller_country}, barang dikirim dari {ships_from}.",
      "message_en": "Cross-border sellers may not list products in the {cluster} cluster (Gerakan AKAR). The seller is domiciled in {seller_country}; the goods ship from {ships_from}.",
      "parameters": {
        "kind": "cross_border_cluster",
        "clusters": [
          "textiles_fashion",
          "food_beverages",
          "handicrafts"
        ]
      }
    },
    {
      "id": "cross_border_min_price",
      "basis": "Permendag 31/2023 pasal 19 ayat (2) dan (4); daftar positif Kepmendag 1998/2023",
      "effective_from": "2023-09-26",
      "message_id": "Barang yang dijual langsung lintas batas harus berharga minimal USD {min_usd} per unit (Rp {floor_idr} dengan kurs Rp {idr_per_usd} per dolar); harga listing ini {price}. Barang dengan kode HS pada daftar positif dikecualikan.",
      "message_en": "Goods sold directly across the border must cost at least USD {min_usd} per unit (Rp {floor_idr} at Rp {idr_per_usd} to the dollar); this listing costs {price}. Goods whose HS code is on the positive list are exempt.",
      "parameters": {
        "kind": "cross_border_min_price",
        "min_usd": 100,
        "idr_per_usd": 16000,
        "positive_list": [
          "4901",
          "4902",
          "4903",
          "4904",
          "3706",
          "8523"
        ]
      }
    },
    {
      "id": "halal_certificate_required",
      "basis": "UU 33/2014 tentang Jaminan Produk Halal; PP 39/2021; PP 42/2024",
      "effective_from": "2024-10-18",
      "course": "halal-self-declare",
      "message_id": "Produk makanan dan minuman wajib bersertifikat halal sejak {from}. Isikan nomor sertifikat halal; usaha mikro dan kecil dapat memakai jalur self-declare gratis.",
      "message_en": "Food and beverage products need a halal certificate since {from}. Enter the halal certificate number; micro and small businesses can use the free self-declare route.",
      "parameters": {
        "kind": "halal_certificate",
        "cluster": "food_beverages",
        "medium_large_from": "2024-10-18",
        "micro_small_from": "2026-10-18",
        "cross_border_from": "2026-10-18"
      }
    },
    {
      "id": "category_mismatch_review",
      "basis": "Aturan platform Naik Kelas: kategori harus sesuai produk (klaster Gerakan AKAR)",
      "effective_from": "2021-08-03",
      "message_id": "Judul menyebut \"{keyword}\", produk klaster {named_cluster}, tetapi kategorinya klaster {cluster}. Petugas akan memeriksa listing ini.",
      "message_en": "The title names \"{keyword}\", a product of the {named_cluster} cluster, but its category is in the {cluster} cluster. Staff will review this listing.",
      "parameters": {
        "kind": "category_mismatch",
        "keywords": [
          {
            "cluster": "textiles_fashion",
            "words": [
              "batik",
              "kemeja",
              "kebaya",
              "kaos",
              "sarung",
              "songket",
              "tenun",
              "ulos",
              "hijab",
              "jilbab",
              "gamis",
              "celana",
              "rok",
              "dress",
              "shirt",
              "t-shirt",
              "blouse",
              "scarf",
              "jacket",
              "jaket",
              "sepatu",
              "shoes",
              "sandal",
              "kain",
              "fabric"
            ]
          },
          {
            "cluster": "food_beverages",
            "words": [
              "keripik",
              "kerupuk",
              "sambal",
              "kopi bubuk",
              "kopi",
              "teh",
              "madu",
              "rendang",
              "abon",
              "dodol",
              "bumbu",
              "kue",
              "cookies",
              "chips",
              "coffee",
              "ground coffee",
              "tea",
              "honey",
              "snack",
              "sauce",
              "sirup",
              "syrup"
            ]
          },
          {
            "cluster": "handicrafts",
            "words": [
              "anyaman",
              "gerabah",
              "ukiran",
              "rotan",
              "bambu",
              "wayang",
              "keris",
              "topeng",
              "tembikar",
              "woven",
              "wicker",
              "pottery",
              "carving",
              "carved",
              "rattan",
              "bamboo",
              "earthenware"
            ]
          }
        ]
      }
    }
  ]
}', 0, 0, 0);
