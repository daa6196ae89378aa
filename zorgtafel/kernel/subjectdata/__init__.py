"""The data subject's access across the services (GDPR art. 15; Bijlage 3; issue #14): every
service that holds subject data serves ``SubjectDataService.ExportSubjectData`` for its own data
(``servicer``), from an exporter it gives the kernel (``model.Exporter``); disclosure assembles
the one report from the four (``client``)."""
