import { KubeObject, ObjectRef } from '../types';

/** The store reference of an object. */
export function ref(o: KubeObject): ObjectRef {
  return {
    apiVersion: o.apiVersion!,
    kind: o.kind!,
    namespace: o.metadata.namespace,
    name: o.metadata.name!,
  };
}
