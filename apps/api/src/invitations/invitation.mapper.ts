import { Invitation } from '@gatehouse/domain';
import { InvitationEntity } from './invitation.entity';

export function toInvitation(invitation: InvitationEntity): Invitation {
  return {
    id: invitation.id,
    user_id: invitation.userId,
    is_accepted: invitation.isAccepted,
    accepted_at: invitation.acceptedAt?.toISOString() ?? null,
    expires_at: invitation.expiresAt.toISOString(),
    created_at: invitation.createdAt.toISOString(),
    created_by: invitation.createdBy,
    updated_at: invitation.updatedAt.toISOString(),
    updated_by: invitation.updatedBy,
    purpose: invitation.purpose,
    email_status: invitation.emailStatus,
    email_error: invitation.emailError,
  };
}
