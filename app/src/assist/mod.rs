//! The helper's desk (帮办工作台): today's bookings at the station, results to hand
//! over, claims to confirm, finding or registering a resident, recording their
//! authorisation (委托) and acting for them. Pages only: the rules live in `stations`
//! (who may act for whom), `booking` and `cases`; this feature sits above all three.

pub mod pages;
