/**
 * Every error a player may see has a stable code. The server sends the code
 * with an English message (for logs and API users); the client shows the
 * translation of the code from assets/i18n.
 */
export const ERROR_CODES = [
  "bad_request",
  "invalid_json",
  "unauthorized",
  "forbidden",
  "not_found",
  "rate_limited",
  "internal",
  "basket_empty",
  "basket_too_many_lines",
  "basket_duplicate_gift",
  "gift_unknown",
  "gift_unavailable",
  "quantity_invalid",
  "order_too_large",
  "support_invalid",
  "order_not_paid",
  "donor_profile_missing",
  "receipt_year_open",
  "receipts_unavailable",
  "nothing_to_receipt",
  "currency_mismatch",
  "payment_provider_error",
  "tile_out_of_bounds",
  "tile_occupied",
  "item_unknown",
  "not_owner",
  "village_private",
  "village_unknown",
  "crop_ripe",
  "crop_recently_watered",
  "crop_not_ripe",
  "decoration_unknown",
  "coins_insufficient",
  "coins_invalid",
  "webhook_signature_invalid",
  "monthly_not_offered",
  "amount_below_gift_price",
  "payments_unavailable",
  "monthly_gift_cancelled",
  "monthly_gift_not_started",
  "portal_unavailable",
  "webhook_payload_invalid",
  "account_required",
  "invalid_credentials",
  "signup_failed",
  "name_invalid",
  "name_taken",
  "player_unknown",
  "friend_self",
  "already_friends",
  "invite_invalid",
  "visitor_forbidden",
  "sent_away",
  "village_full",
  "not_a_crop",
  "confirmation_required",
  "account_deleted",
  "crop_cannot_be_taken",
  "confirmation_invalid",
  "last_admin",
  "already_member",
  "ngo_review_conflict",
  "receipt_prefix_taken",
  "gift_sold_out",
  "gift_stock_low",
  "campaign_published",
  "campaign_ended",
  "photo_invalid",
  "photo_too_large",
  "photo_too_small",
  "photo_unknown",
  "project_unknown",
  "ngo_not_approved",
  "trail_date_future",
  "trail_date_order",
  "ngo_payments_unavailable",
  "payments_account_country_unknown",
  "reset_invalid",
  "ngo_not_eligible",
  "receipt_window_open",
  "receipt_dispute_open",
  "text_invalid",
  "try_again",
  "hold_limit",
  "gift_held",
  "gift_last_units",
  "order_not_pending",
  "invitation_pending",
  "invitation_unknown",
  "too_many_streams",
  "origin_invalid",
  "pledge_ended",
  "pledge_limit",
  "fundraiser_exists",
  "fundraiser_closed",
  "fundraiser_campaign_mismatch",
  "level_too_low",
  "quest_unknown",
  "quest_not_done",
  "already_claimed",
  "already_thanked",
  "thanks_unavailable",
  "out_of_season",
  "not_for_sale",
  "set_unknown",
  "set_incomplete",
  "dedication_date_invalid",
  "dedication_own_village",
  "dedication_two_villages",
  "unsubscribe_link_invalid",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** Field-level details for validation errors: path → message. */
    fields?: Record<string, string>;
  };
}

/** A rule refusing an action: returned by pure functions, never thrown. */
export interface RuleError {
  ok: false;
  code: ErrorCode;
  message: string;
}

export type RuleResult<T> = ({ ok: true } & T) | RuleError;

export function refuse(code: ErrorCode, message: string): RuleError {
  return { ok: false, code, message };
}
