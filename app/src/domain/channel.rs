//! Where a booked resident is served (预约渠道).

use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// Where the resident will be served.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum Channel {
    /// At the center's windows.
    Center,
    /// At a village or community service station.
    Station,
    /// By video call.
    Video,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Center, Channel::Station, Channel::Video];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Center => "center",
            Channel::Station => "station",
            Channel::Video => "video",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The name a user reads, in either language.
    pub fn msg(self) -> Msg {
        match self {
            Channel::Center => Msg::ChannelCenter,
            Channel::Station => Msg::ChannelStation,
            Channel::Video => Msg::ChannelVideo,
        }
    }

    /// The Chinese name (logs, emails, audit).
    pub fn zh(self) -> &'static str {
        self.msg().zh()
    }
}
