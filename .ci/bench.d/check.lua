-- The public policy check (`POST /api/v1/listings/check`) as a
-- marketplace's server calls it: JSON, no cookie, no Origin. A
-- cross-border food listing under the floor (four rules fire).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"title":"Keripik pisang dalam anyaman","category":"makanan-ringan",
"price":{"amount":"12.50","currency":"USD"},"seller":{"country":"MY","size_class":"small"},
"origin_country":"MY","as_of":"2026-11-01"}]]
