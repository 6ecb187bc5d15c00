/**
 * The console's API calls, one per route, typed with the shapes in shared/.
 * Refusals arrive as ApiError (code and field messages) from client/net/api.ts.
 */
import type { PledgeListResponse, PledgeView } from "../../shared/matching.ts";
import type { CampaignListResponse, CampaignView, CreateCampaignRequest, UpdateCampaignRequest } from "../../shared/campaigns.ts";
import type { TrailStepRequest, TrailStepsResponse, TrailStepView } from "../../shared/fund-trail.ts";
import type {
  CreateImpactUpdateRequest, CreateImpactUpdateResponse, NgoUpdatesResponse, PhotoUploadResponse,
} from "../../shared/impact-updates.ts";
import { PHOTO_FIELD } from "../../shared/impact-updates.ts";
import type {
  MyNgosResponse, NgoAdminListResponse, NgoApplicationRequest, NgoApplicationResponse, NgoApproveRequest,
  NgoInvitationResponse, NgoMemberAddRequest, NgoMembersResponse, NgoMemberView, NgoRejectRequest, NgoSettingsRequest, NgoSettingsView,
} from "../../shared/ngo-accounts.ts";
import type {
  GiftCreateRequest, GiftPatchRequest, NgoGiftsResponse, NgoGiftView, NgoProjectsResponse, NgoProjectView, ProjectCreateRequest,
} from "../../shared/ngo-catalog.ts";
import type { NgoMembershipView, NgoStatus, NgoRole } from "../../shared/ngo-roles.ts";
import type { PaymentsAccountView, PaymentsOnboardingResponse } from "../../shared/payments-account.ts";
import type { PaymentAlertResolveResponse, PaymentAlertsResponse } from "../../shared/payment-alerts.ts";
import type { DonationReportResponse, ReportGrouping, TaxReceiptDeclaration } from "../../shared/reports.ts";
import type { NgoMoneyResponse } from "../../shared/ngo-money.ts";
import type { MilestonesRequest, MilestonesResponse } from "../../shared/milestones.ts";
import type { EmbedSitesRequest, EmbedSitesResponse } from "../../shared/embed.ts";
import { ApiError, refusal, request } from "../net/api.ts";

const ngo = (ngoId: string, rest = "") => `/api/ngos/${encodeURIComponent(ngoId)}${rest}`;
const id = (value: string) => encodeURIComponent(value);

export const consoleApi = {
  // Accounts, roles, applications (ngo-accounts).
  myNgos: (token: string) => request<MyNgosResponse>("GET", "/api/me/ngos", { token }),
  apply: (token: string, body: NgoApplicationRequest) => request<NgoApplicationResponse>("POST", "/api/ngos/applications", { token, body }),
  settings: (token: string, ngoId: string) => request<NgoSettingsView>("GET", ngo(ngoId, "/settings"), { token }),
  saveSettings: (token: string, ngoId: string, body: NgoSettingsRequest) => request<NgoSettingsView>("PATCH", ngo(ngoId, "/settings"), { token, body }),
  members: (token: string, ngoId: string) => request<NgoMembersResponse>("GET", ngo(ngoId, "/members"), { token }),
  /** Invites an account: it becomes a member once that player accepts. */
  addMember: (token: string, ngoId: string, body: NgoMemberAddRequest) => request<NgoInvitationResponse>("POST", ngo(ngoId, "/members"), { token, body }),
  withdrawInvitation: (token: string, ngoId: string, playerId: string) => request<unknown>("DELETE", ngo(ngoId, `/invitations/${id(playerId)}`), { token }),
  acceptInvitation: (token: string, ngoId: string) => request<{ membership: NgoMembershipView }>("POST", `/api/me/ngo-invitations/${id(ngoId)}/accept`, { token }),
  declineInvitation: (token: string, ngoId: string) => request<unknown>("POST", `/api/me/ngo-invitations/${id(ngoId)}/decline`, { token }),
  setRole: (token: string, ngoId: string, playerId: string, role: NgoRole) =>
    request<{ member: NgoMemberView }>("PATCH", ngo(ngoId, `/members/${id(playerId)}`), { token, body: { role } }),
  removeMember: (token: string, ngoId: string, playerId: string) => request<unknown>("DELETE", ngo(ngoId, `/members/${id(playerId)}`), { token }),
  applications: (token: string, status: NgoStatus) => request<NgoAdminListResponse>("GET", `/api/admin/ngos?status=${status}`, { token }),
  approve: (token: string, ngoId: string, body: NgoApproveRequest) => request<{ ngo: NgoSettingsView }>("POST", `/api/admin/ngos/${id(ngoId)}/approve`, { token, body }),
  reject: (token: string, ngoId: string, body: NgoRejectRequest) => request<{ ngo: NgoSettingsView }>("POST", `/api/admin/ngos/${id(ngoId)}/reject`, { token, body }),
  paymentAlerts: (token: string, status: "open" | "resolved" | "all") => request<PaymentAlertsResponse>("GET", `/api/admin/payment-alerts?status=${status}`, { token }),
  resolvePaymentAlert: (token: string, alertId: string) => request<PaymentAlertResolveResponse>("POST", `/api/admin/payment-alerts/${id(alertId)}/resolve`, { token }),

  // The NGO's own Stripe account (ngo-payments-account).
  paymentsAccount: (token: string, ngoId: string) => request<PaymentsAccountView>("GET", ngo(ngoId, "/payments-account"), { token }),
  startOnboarding: (token: string, ngoId: string) => request<PaymentsOnboardingResponse>("POST", ngo(ngoId, "/payments-account/onboarding"), { token }),
  refreshPaymentsAccount: (token: string, ngoId: string) => request<PaymentsAccountView>("POST", ngo(ngoId, "/payments-account/refresh"), { token }),

  // Catalog (ngo-catalog).
  gifts: (token: string, ngoId: string) => request<NgoGiftsResponse>("GET", ngo(ngoId, "/gifts"), { token }),
  createGift: (token: string, ngoId: string, body: GiftCreateRequest) => request<NgoGiftView>("POST", ngo(ngoId, "/gifts"), { token, body }),
  patchGift: (token: string, ngoId: string, giftId: string, body: GiftPatchRequest) =>
    request<NgoGiftView>("PATCH", ngo(ngoId, `/gifts/${id(giftId)}`), { token, body }),
  retireGift: (token: string, ngoId: string, giftId: string) => request<NgoGiftView>("POST", ngo(ngoId, `/gifts/${id(giftId)}/retire`), { token }),
  restoreGift: (token: string, ngoId: string, giftId: string) => request<NgoGiftView>("POST", ngo(ngoId, `/gifts/${id(giftId)}/restore`), { token }),
  projects: (token: string, ngoId: string) => request<NgoProjectsResponse>("GET", ngo(ngoId, "/projects"), { token }),
  createProject: (token: string, ngoId: string, body: ProjectCreateRequest) =>
    request<NgoProjectView>("POST", ngo(ngoId, "/projects"), { token, body }),

  // Campaigns (ngo-campaigns).
  campaigns: (token: string, ngoId: string) => request<CampaignListResponse>("GET", ngo(ngoId, "/campaigns"), { token }),
  createCampaign: (token: string, ngoId: string, body: CreateCampaignRequest) =>
    request<CampaignView>("POST", ngo(ngoId, "/campaigns"), { token, body }),
  patchCampaign: (token: string, ngoId: string, campaignId: string, body: UpdateCampaignRequest) =>
    request<CampaignView>("PATCH", ngo(ngoId, `/campaigns/${id(campaignId)}`), { token, body }),
  /** The campaign's own milestones (an empty list: the defaults); reached ones must be in it unchanged. */
  setMilestones: (token: string, ngoId: string, campaignId: string, body: MilestonesRequest) =>
    request<MilestonesResponse>("PUT", ngo(ngoId, `/campaigns/${id(campaignId)}/milestones`), { token, body }),
  publishCampaign: (token: string, ngoId: string, campaignId: string) =>
    request<CampaignView>("POST", ngo(ngoId, `/campaigns/${id(campaignId)}/publish`), { token }),
  // Matching pledges of a campaign.
  pledges: (token: string, ngoId: string, campaignId: string) => request<PledgeListResponse>("GET", ngo(ngoId, `/campaigns/${id(campaignId)}/pledges`), { token }),
  createPledge: (token: string, ngoId: string, campaignId: string, body: Record<string, unknown>) =>
    request<PledgeView>("POST", ngo(ngoId, `/campaigns/${id(campaignId)}/pledges`), { token, body }),
  endPledge: (token: string, ngoId: string, campaignId: string, pledgeId: string) =>
    request<PledgeView>("POST", ngo(ngoId, `/campaigns/${id(campaignId)}/pledges/${id(pledgeId)}/end`), { token }),

  // The websites allowed to show the campaign widget (embed-sites).
  embedSites: (token: string, ngoId: string) => request<EmbedSitesResponse>("GET", ngo(ngoId, "/embed-sites"), { token }),
  saveEmbedSites: (token: string, ngoId: string, body: EmbedSitesRequest) => request<EmbedSitesResponse>("PUT", ngo(ngoId, "/embed-sites"), { token, body }),

  // Impact updates, photos, fund trail (ngo-updates).
  updates: (token: string, ngoId: string) => request<NgoUpdatesResponse>("GET", ngo(ngoId, "/updates"), { token }),
  createUpdate: (token: string, ngoId: string, body: CreateImpactUpdateRequest) =>
    request<CreateImpactUpdateResponse>("POST", ngo(ngoId, "/updates"), { token, body }),
  uploadPhoto: (token: string, ngoId: string, file: File) => upload<PhotoUploadResponse>(token, ngo(ngoId, "/photos"), file),
  trail: (token: string, ngoId: string, giftId: string) => request<TrailStepsResponse>("GET", ngo(ngoId, `/gifts/${id(giftId)}/trail`), { token }),
  addTrailStep: (token: string, ngoId: string, giftId: string, body: TrailStepRequest) =>
    request<{ step: TrailStepView }>("POST", ngo(ngoId, `/gifts/${id(giftId)}/trail`), { token, body }),

  // The NGO's money (ngo-money).
  money: (token: string, ngoId: string) => request<NgoMoneyResponse>("GET", ngo(ngoId, "/money"), { token }),

  // Reports (ngo-reports).
  donations: (token: string, ngoId: string, q: { from: string; to: string; by: ReportGrouping }) =>
    request<DonationReportResponse>("GET", ngo(ngoId, `/reports/donations?${new URLSearchParams(q)}`), { token }),
  taxReceipts: (token: string, ngoId: string, year: number) =>
    request<TaxReceiptDeclaration>("GET", ngo(ngoId, `/reports/tax-receipts?year=${year}`), { token }),
};

/** Paths of the CSV exports (downloaded with the bearer token, see client/net/download.ts). */
export const csvPaths = {
  donations: (ngoId: string, q: { from: string; to: string; by: ReportGrouping; lang: string }) =>
    ngo(ngoId, `/reports/donations.csv?${new URLSearchParams(q)}`),
  taxReceipts: (ngoId: string, year: number, lang: string) => ngo(ngoId, `/reports/tax-receipts.csv?year=${year}&lang=${lang}`),
};

/** A multipart upload (the photo), with the bearer token. */
async function upload<T>(token: string, path: string, file: File): Promise<T> {
  const body = new FormData();
  body.append(PHOTO_FIELD, file);
  let response: Response;
  try {
    response = await fetch(path, { method: "POST", headers: { authorization: `Bearer ${token}`, accept: "application/json" }, body, cache: "no-store" });
  } catch (err) {
    throw new ApiError(0, "network", err instanceof Error ? err.message : String(err));
  }
  if (!response.ok) throw await refusal(response);
  return (await response.json()) as T;
}
