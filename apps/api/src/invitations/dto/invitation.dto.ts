import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptionalNotNull } from '../../common/validators';
import { IsBoolean, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export class NewInvitationDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  user_id!: string;

  @ApiPropertyOptional({ description: 'Email the link to the user (needs SMTP)' })
  @IsOptionalNotNull()
  @IsBoolean()
  send_invite_email?: boolean;
}

export class InvitationIdQuery {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'invitation_id must be an invitation id (a uuid)' })
  invitation_id!: string;
}

export class UpdateInvitationDto extends InvitationIdQuery {
  @ApiProperty()
  @IsBoolean()
  is_accepted!: boolean;
}

// A link that names no invitation is refused like a used or expired one (401, one message),
// so the onboarding fields below take any string rather than answering 400 to a bad id.

export class OnboardingQuery {
  @ApiProperty({ format: 'uuid', description: 'The invitation id from the link' })
  @IsString()
  @MaxLength(128)
  invite_link!: string;
}

export class ClaimInvitationDto {
  @ApiProperty({ format: 'uuid' })
  @IsString()
  @MaxLength(128)
  invitation_link!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(128)
  user_id!: string;

  @ApiProperty({ minLength: 12, maxLength: 128 })
  @IsString()
  @MaxLength(1024)
  password!: string;
}
