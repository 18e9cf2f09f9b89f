import { ConfirmData } from '../shared/confirm-dialog';

// What the users page asks before each action that cuts someone off, given the user's email.

export function deleteConfirmation(name: string): ConfirmData {
  return {
    title: 'Delete this user?',
    message: `${name} loses access, and their keys and invitation links are deleted.`,
    confirm: 'Delete',
  };
}

export function blockConfirmation(name: string): ConfirmData {
  return {
    title: 'Block this user?',
    message: `${name} is signed out, cannot sign in, and their keys are refused until unblocked.`,
    confirm: 'Block',
  };
}

export function resetConfirmation(name: string): ConfirmData {
  return {
    title: 'Reset the password?',
    message:
      `${name} gets a link, valid for a day, to choose a new password. ` +
      'Their current password works until they use it.',
    confirm: 'Reset password',
  };
}

export function endSessionsConfirmation(name: string): ConfirmData {
  return {
    title: 'End all their sessions?',
    message: `${name} is signed out of the console everywhere. Their keys keep working.`,
    confirm: 'End sessions',
  };
}

export function roleConfirmation(name: string, role: string): ConfirmData {
  return {
    title: 'Change the role?',
    message: `${name} becomes ${role}, is signed out, and signs in again with the new rights.`,
    confirm: 'Change role',
  };
}
