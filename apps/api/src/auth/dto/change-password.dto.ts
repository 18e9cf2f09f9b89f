import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

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
