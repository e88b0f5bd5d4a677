// The example job `roam job init` writes: Nomad's example (job "example", group "cache", task
// "redis" running redis:7 with port "db" mapped to 6379 and a nomad-provider service), with
// Roam's own explanatory comments in the long form.

export const EXAMPLE_JOB_SHORT = `job "example" {
  group "cache" {
    network {
      port "db" {
        to = 6379
      }
    }

    task "redis" {
      driver = "docker"

      config {
        image          = "redis:7"
        ports          = ["db"]
        auth_soft_fail = true
      }

      identity {
        env  = true
        file = true
      }

      resources {
        cpu    = 500
        memory = 256
      }
    }

    service {
      name     = "redis-cache"
      port     = "db"
      provider = "nomad"
    }
  }
}
`;

export const EXAMPLE_JOB = `# An example job for Roam (and Nomad): one Redis container with a port and a
# service other jobs can find. Run it with "roam job run example.nomad.hcl".
# Every block and attribute is described in Nomad's job specification docs.

# The label is the job's ID. No "datacenters": the job may run in any of them.
job "example" {
  # "service" jobs run until stopped; "batch" jobs run to completion;
  # "system" and "sysbatch" jobs run on every eligible node.
  type = "service"

  # How a new version replaces the running one: one allocation at a time,
  # each healthy for 10s before the next, reverting if a version never
  # becomes healthy.
  update {
    max_parallel     = 1
    min_healthy_time = "10s"
    healthy_deadline = "3m"
    progress_deadline = "10m"
    auto_revert      = false
    canary           = 0
  }

  # Where allocations move when a node is drained.
  migrate {
    max_parallel     = 1
    health_check     = "checks"
    min_healthy_time = "10s"
    healthy_deadline = "5m"
  }

  # A group is the unit of placement: all its tasks share a node.
  group "cache" {
    count = 1

    # Ports for the group. "db" gets a free host port, forwarded to the
    # container's 6379.
    network {
      port "db" {
        to = 6379
      }
    }

    # A service in Nomad's built-in catalog; templates in other jobs can
    # look it up with {{ range nomadService "redis-cache" }}.
    service {
      name     = "redis-cache"
      tags     = ["global", "cache"]
      port     = "db"
      provider = "nomad"

      # Uncomment to mark the allocation unhealthy when Redis stops
      # answering on its port.
      # check {
      #   name     = "alive"
      #   type     = "tcp"
      #   interval = "10s"
      #   timeout  = "2s"
      # }
    }

    # Restart failed tasks on the same node: two attempts every 30 minutes,
    # 15s apart, then give up and let rescheduling take over.
    restart {
      attempts = 2
      interval = "30m"
      delay    = "15s"
      mode     = "fail"
    }

    # Scratch disk shared by the group's tasks.
    ephemeral_disk {
      size = 300
    }

    task "redis" {
      driver = "docker"

      # The driver's own settings; for docker, the image and the port
      # labels to publish.
      config {
        image          = "redis:7"
        ports          = ["db"]
        auth_soft_fail = true
      }

      # Expose the workload identity token to the task.
      identity {
        env  = true
        file = true
      }

      # CPU in MHz and memory in MB reserved for the task.
      resources {
        cpu    = 500
        memory = 256
      }

      # Files rendered before the task starts; "env = true" would load the
      # result into the task's environment.
      # template {
      #   data        = "REDIS_MAXMEMORY=200mb"
      #   destination = "local/redis.env"
      #   env         = true
      # }

      # Seconds to wait after the kill signal before force-killing.
      kill_timeout = "20s"
    }
  }
}
`;
