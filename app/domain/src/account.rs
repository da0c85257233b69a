//! Accounts as shown to administrators and in organisation pages.

use crate::role::{MembershipDetail, Role};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub active: bool,
    pub must_change_password: bool,
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountDetail {
    pub account: Account,
    pub memberships: Vec<MembershipDetail>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub membership_id: i64,
    pub account_id: i64,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
}
