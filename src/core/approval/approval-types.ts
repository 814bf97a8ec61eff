/** What the approval queue (GET /v1/approvals?type=) lists: trades, transfers of rights or regional trades. */
export const APPROVAL_TYPES = ['TRADE', 'RIGHT_TRANSFER', 'REGIONAL_TRADE'] as const;
export type ApprovalType = (typeof APPROVAL_TYPES)[number];
