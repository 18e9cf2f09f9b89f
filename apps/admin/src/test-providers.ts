import { Provider } from '@angular/core';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';

/** Providers for every unit test: Material without animations, so dialogs open at once. */
const providers: Provider[] = [
  { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
];

export default providers;
