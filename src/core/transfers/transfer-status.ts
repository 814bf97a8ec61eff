/** 协议转让: PROPOSED until the buyer accepts (a trade opens) or declines, or the seller cancels. */
export const TRANSFER_STATUSES = ['PROPOSED', 'ACCEPTED', 'DECLINED', 'CANCELLED'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];
