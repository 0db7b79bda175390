-- Businesses (MSMEs) as records of their own: one has at most one owner
-- account (`owner_id`, unique), and many (imported from registries) have
-- none until a seller claims them by NIB and staff confirm. Money in whole
-- rupiah (bigint), never floating point. Times in UTC unix seconds. (SQLite)
create table businesses (
    id integer primary key autoincrement,
    owner_id bigint unique references users (id) on delete set null,
    source text not null default 'portal' check (source in ('portal', 'import')),
    name text not null default '',
    owner_name text not null default '',
    whatsapp text,
    nib text unique,
    nib_status text not null default 'none'
        check (nib_status in ('none', 'pending', 'verified', 'rejected')),
    nib_submitted_at bigint,
    nib_decided_at bigint,
    nib_decided_by bigint references users (id) on delete set null,
    nib_reason text,
    claim_business_id bigint references businesses (id) on delete set null,
    cluster text check (cluster in ('textiles_fashion', 'food_beverages', 'handicrafts', 'other')),
    province_code text,
    regency_code text,
    address text,
    domicile_country text not null default 'ID',
    year_founded bigint,
    employees bigint,
    capital_idr bigint,
    annual_sales_idr bigint,
    size_basis text check (size_basis in ('capital', 'sales')),
    size_class text check (size_class in ('micro', 'small', 'medium', 'large')),
    halal_cert text,
    sni_cert text,
    created_at bigint not null,
    updated_at bigint not null
);
-- The staff queue: pending NIBs (and claims) oldest first.
create index businesses_nib_queue on businesses (nib_status, nib_submitted_at);
create index businesses_region on businesses (province_code, regency_code);

-- KBLI codes of a business, with the version of the classification.
create table business_kbli (
    business_id bigint not null references businesses (id) on delete cascade,
    kbli_version text not null,
    code text not null,
    primary key (business_id, kbli_version, code)
);

-- Where the business sells online.
create table business_channels (
    business_id bigint not null references businesses (id) on delete cascade,
    position bigint not null,
    kind text not null check (kind in ('marketplace', 'social', 'website')),
    name text not null default '',
    url text not null,
    primary key (business_id, position)
);

-- The onboarding milestones, each with the day it was first reached:
-- written once (`on conflict do nothing`), never removed by a profile edit.
create table business_milestones (
    business_id bigint not null references businesses (id) on delete cascade,
    milestone text not null check (milestone in ('profile_complete', 'nib_verified',
        'course_completed', 'first_listing_allowed', 'shop_online')),
    reached_at bigint not null,
    primary key (business_id, milestone)
);
