import type { AppModule } from '../http/module';
import { implementationModule } from './implementation';
import { hubServicesModule } from './services';
import { versionRoutesModule } from './version-routes';
import { hubVersionsModule } from './versions';

/** The Service Hub's HTTP modules: services, versions, implementations, version routes. */
export const serviceHubModules: readonly AppModule[] = [hubServicesModule, hubVersionsModule, implementationModule, versionRoutesModule];
