# The quick-start's Redis database: a service job with one group, a dynamic host port mapped to
# the container's 6379, and a service registered in Nomad's own service catalog.
job "pytechco-redis" {
  type = "service"

  group "ptc-redis" {
    count = 1

    network {
      port "redis" {
        to = 6379
      }
    }

    service {
      name     = "redis-svc"
      port     = "redis"
      provider = "nomad"
    }

    task "redis-task" {
      driver = "docker"

      config {
        image = "redis:7.0.7-alpine"
        ports = ["redis"]
      }
    }
  }
}
