import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  current_password!: string;

  @ApiProperty({ minLength: 12, maxLength: 128 })
  @IsString()
  @MaxLength(1024)
  new_password!: string;
}

export class LoginDto {
  @ApiProperty({ description: 'The email address', example: 'ada@example.com' })
  username!: string;

  @ApiProperty()
  password!: string;
}

export class SessionRefDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'session_id must be a session id (a uuid)' })
  session_id!: string;
}
