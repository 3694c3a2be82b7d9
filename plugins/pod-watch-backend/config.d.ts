export interface Config {
  /**
   * Clusters are read from the Kubernetes plugin's standard list (type `config`, auth provider
   * `serviceAccount`), so an install that already runs Backstage's Kubernetes plugin needs no
   * second list. Declared here only as far as Pod Watch reads it.
   */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      type: string;
      clusters?: Array<{
        name: string;
        url: string;
        /** only `serviceAccount` is used for background collection */
        authProvider?: string;
        /** @visibility secret */
        serviceAccountToken?: string;
        /** base64-encoded PEM of the API server's CA */
        caData?: string;
        caFile?: string;
        skipTLSVerify?: boolean;
      }>;
    }>;
  };

  /** Pod Watch: background collection of pods, events, workloads and logs. */
  podWatch?: {
    /** Clusters besides `kubernetes.clusterLocatorMethods`. */
    clusters?: {
      /** Only watch these cluster names (default: every configured cluster). */
      include?: string[];
      /** The cluster Backstage runs in, through its service account. */
      inCluster?: {
        /** default false */
        enabled?: boolean;
        /** default `in-cluster` */
        name?: string;
      };
      /** kubeconfig contexts, for local use. */
      kubeconfig?: Array<{
        /** default: the current context */
        context?: string;
        /** default: $KUBECONFIG or ~/.kube/config */
        path?: string;
        /** cluster name in Pod Watch (default: the context name) */
        name?: string;
      }>;
    };

    /** Which namespaces to watch. Deny wins over allow. */
    namespaces?: {
      /** Only these namespaces (default: all). One watch per namespace and kind when set. */
      allow?: string[];
      /** Never these namespaces (default: none). */
      deny?: string[];
    };

    /**
     * Kinds to watch (default: all but `events.k8s.io/events`, which serves the same Events as
     * core `events`): pods, events, events.k8s.io/events, deployments, replicasets,
     * statefulsets, daemonsets, jobs, endpointslices.
     */
    kinds?: string[];

    /** Custom resources to watch and keep (current state and history). */
    customResources?: Array<{
      group: string;
      version: string;
      plural: string;
      /** default: derived from plural */
      kind?: string;
      /** default true */
      namespaced?: boolean;
    }>;

    logs?: {
      /** Collect container logs (default true). */
      enabled?: boolean;
      /** Lines of the recent tail per container per run (default 200). */
      tailLines?: number;
      /** Bytes per container per request (default 262144). */
      limitBytes?: number;
      /** Capture previous-container logs at every restart or termination (default true). */
      previous?: boolean;
      /** Concurrent log requests per cluster (default 4). */
      concurrency?: number;
    };

    schedules?: {
      /** Full relist of every kind as a safety net, minutes (default 30). */
      resyncMinutes?: number;
      /** Log tail collection, seconds (default 60). */
      logsSeconds?: number;
    };

    /**
     * Replicas sharing a database elect one watcher per cluster through a lease in that
     * database. A replica that dies is replaced within about leaseSeconds + 2 × renewSeconds.
     */
    leadership?: {
      /** A lease not renewed for this long is taken over by another replica (default 30). */
      leaseSeconds?: number;
      /** The holder renews (and followers check) this often; at most leaseSeconds / 3 (default 5). */
      renewSeconds?: number;
    };

    watch?: {
      /** List page size (default 500). */
      pageSize?: number;
      /** Watch request timeout; randomised in [t, 2t) (default 300). */
      timeoutSeconds?: number;
      /** A stream silent this long is reconnected (default 120; bookmarks come every ~60 s). */
      inactivityTimeoutSeconds?: number;
      /** First retry delay after an error (default 800). */
      backoffInitialMs?: number;
      /** Maximum retry delay (default 30000). */
      backoffMaxMs?: number;
    };

    /** Retention (see store/retention.ts `readRetentionConfig`). */
    retention?: {
      /** Days to keep every kind of data (default 14). */
      days?: number;
      events?: number;
      logs?: number;
      history?: number;
      incidents?: number;
      gaps?: number;
      deletedObjects?: number;
      /** Rows per delete statement (default 5000). */
      batchSize?: number;
      /** How often retention runs, minutes (default 60). */
      intervalMinutes?: number;
    };

    /** Incident lifecycle (see incidents/config.ts `readIncidentConfig`). */
    incidents?: {
      /** An incident resolves once its condition has been clear this long, seconds (default 600). */
      clearAfterSeconds?: number;
      /** Signals older than this open nothing, seconds (default 3600: Kubernetes keeps Events 1 h). */
      maxBackfillSeconds?: number;
      /** Pods and Events counted per incident (default 200; bounds the evidence). */
      maxCounters?: number;
    };
  };
}
