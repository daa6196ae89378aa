"""The console: the people's web client of the four gRPC services (issue #19).

It holds no case data of its own: every page is drawn from gRPC calls made with the signed-in
person's token, so every authorisation and need-to-know rule applies unchanged."""
