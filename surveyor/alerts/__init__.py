"""Early warning: the detectors that ``surveyor alerts scan`` runs over the responses of every
(service point, questionnaire) and the alerts they store (:class:`surveyor.models.Alert`)."""
