"""EduBrain (教育数据大脑): the city education data platform."""

__version__ = "0.1.0"
